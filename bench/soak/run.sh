#!/bin/sh
# Soak benchmark (bench/README.md): 1,000 clients at 10 acked msg/s for 10 minutes against the given emulator,
# RSS printed once a minute. Extra arguments go to soak.js (e.g. --duration-seconds 180).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || { echo "usage: $0 path/to/webpubsub-emulator [soak.js options]" >&2; exit 2; }
binary=$1
shift
[ -d "$here/../fanout/node_modules/ws" ] || (cd "$here/../fanout" && npm ci --no-audit --no-fund >&2)
hard=$(ulimit -Hn)
ulimit -n "$hard" 2>/dev/null || true
exec node "$here/soak.js" "$binary" "$@"
