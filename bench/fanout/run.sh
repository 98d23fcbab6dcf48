#!/bin/sh
# Fan-out benchmark: one command. Installs the pinned `ws` (npm ci) when missing, raises the open-file limit
# for the 10,000 idle connections, and runs the driver. Arguments go to run.js (see bench/README.md):
#   bench/fanout/run.sh [path/to/webpubsub-emulator] [--quick] [--servers emulator,peer] [--json FILE]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -f "$here/node_modules/ws/package.json" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
# Each of the server and the load generator holds one fd per client; 10,000 idle clients need > 10,000.
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ] || [ "$hard" -gt 65536 ]; then hard=65536; fi
ulimit -n "$hard" 2>/dev/null || true
exec node "$here/run.js" "$@"
