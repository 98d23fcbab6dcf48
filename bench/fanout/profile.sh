#!/bin/sh
# Instructions per delivered message: the emulator under callgrind at a fixed, small load that is the same for
# every build and protocol, so protocols and builds compare on a shared machine (instruction counts do not
# depend on how busy the box is). By default 100 members in 10 groups of 10, one sender, 2 KB text messages at
# 300 deliveries/s for 6 s (PROFILE_GROUPS=10 PROFILE_GROUP_SIZE=100 PROFILE_RATE=1000 in the environment: the big-groups shape);
# collection is switched on after the joins and off when the generator is done.
#   [PROFILE_GROUPS=G PROFILE_GROUP_SIZE=S PROFILE_RATE=R] bench/fanout/profile.sh EMULATOR json|mqtt0|mqtt1 [OUTDIR]
# Prints "<protocol>: <Ir> Ir, <N> deliveries, <Ir/N> Ir per delivery"; OUTDIR keeps callgrind.out and the
# callgrind_annotate listing (annotate.txt). Needs valgrind; loopback only.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
emulator=$1
proto=$2
out=${3:-$(mktemp -d /tmp/wps-profile-XXXXXX)}
mkdir -p "$out"
rm -f "$out/loadgen.jsonl" "$out/emulator.stdout" "$out/callgrind.out" # a previous run's "ready" must not count
case $proto in
json) args="--protocol json" ;;
mqtt0) args="--protocol mqtt --qos 0" ;;
mqtt1) args="--protocol mqtt --qos 1" ;;
*) echo "protocol is json, mqtt0 or mqtt1" >&2; exit 2 ;;
esac

valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out/callgrind.out" \
  "$emulator" --host 127.0.0.1 --port 0 >"$out/emulator.stdout" 2>"$out/emulator.stderr" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
i=0
until cs=$(grep -m1 '^Endpoint=' "$out/emulator.stdout" 2>/dev/null); do
  i=$((i + 1))
  if [ $i -gt 600 ] || ! kill -0 "$pid" 2>/dev/null; then echo "the emulator did not start" >&2; exit 1; fi
  sleep 0.2
done

# shellcheck disable=SC2086
node "$here/loadgen.js" --cs "$cs" --server-pid "$pid" --mode fanout --groups "${PROFILE_GROUPS:-10}" \
  --group-size "${PROFILE_GROUP_SIZE:-10}" --senders 1 --rates "${PROFILE_RATE:-300}" --step-seconds 6 --max-steps 1 --p99-limit-ms 10000 --max-seconds 120 --hold-seconds 8 $args \
  >"$out/loadgen.jsonl" 2>"$out/loadgen.stderr" &
gen=$!
i=0
until grep -q '"event":"ready"' "$out/loadgen.jsonl" 2>/dev/null; do
  i=$((i + 1))
  if [ $i -gt 1200 ] || ! kill -0 "$gen" 2>/dev/null; then echo "the load generator did not get ready" >&2; exit 1; fi
  sleep 0.1
done
callgrind_control -i on "$pid" >/dev/null 2>&1
wait "$gen" || true
callgrind_control -i off "$pid" >/dev/null 2>&1
kill -TERM "$pid"
wait "$pid" || true
trap - EXIT

delivered=$(node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map(JSON.parse);
  const s = lines.find((e) => e.event === "step");
  process.stdout.write(String(s ? s.delivered : 0));' "$out/loadgen.jsonl")
ir=$(sed -n 's/^totals: \([0-9]*\).*/\1/p' "$out/callgrind.out" | head -1)
callgrind_annotate --inclusive=no "$out/callgrind.out" 2>/dev/null | head -60 >"$out/annotate.txt" || true
if [ "${delivered:-0}" -gt 0 ]; then
  echo "$proto: $ir Ir, $delivered deliveries, $((ir / delivered)) Ir per delivery ($out)"
else
  echo "$proto: nothing delivered ($out)" >&2
  exit 1
fi
