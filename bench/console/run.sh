#!/bin/sh
# bench/console: cold start to first paint and idle RSS of webpubsub-console on its embedded emulator.
#   bench/console/run.sh [path/to/webpubsub-console]
# Runs under Xvfb (xvfb-run) when there is no DISPLAY. Prints:
#   cold start to first paint: <N> ms   (process start -> first paint event of the main window, median of 5)
#   idle RSS: <N> MB                    (window open on the embedded emulator, after 5 s idle)
# Goals (issue 4): <= 400 ms and <= 120 MB. A fresh XDG_CONFIG_HOME keeps saved profiles and layouts out.
set -eu
console=${1:-build/app/webpubsub-console}
console=$(cd "$(dirname "$console")" && pwd)/$(basename "$console")
if [ -z "${DISPLAY:-}" ] && [ -z "${WPS_BENCH_IN_XVFB:-}" ]; then
    WPS_BENCH_IN_XVFB=1 exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$console"
fi
config=$(mktemp -d)
trap 'rm -rf "$config"' EXIT
export XDG_CONFIG_HOME="$config" QT_LOGGING_RULES="*.debug=false;*.info=false"

times=""
for i in 1 2 3 4 5; do
    start=$(date +%s%3N)
    painted=$(WPS_REPORT_FIRST_PAINT=quit "$console" --emulator 2>&1 >/dev/null | sed -n 's/^first paint at: //p' | head -n 1)
    [ -n "$painted" ] || { echo "run $i: no first paint reported" >&2; exit 1; }
    times="$times $((painted - start))"
done
median=$(printf '%s\n' $times | sort -n | sed -n 3p)
echo "cold start to first paint: $median ms"

"$console" --emulator >/dev/null 2>&1 &
pid=$!
sleep 5
rss_kb=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status")
kill "$pid"
wait "$pid" 2>/dev/null || true
echo "idle RSS: $(( (rss_kb + 512) / 1024 )) MB"
