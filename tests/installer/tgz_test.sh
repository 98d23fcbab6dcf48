#!/usr/bin/env bash
# installer_tgz: builds the self-contained archive from this build tree (cpack -G TGZ), unpacks it, and runs
# its programs in a private mount namespace in which the system's Qt (libraries and plugins), ICU,
# QtKeychain, protobuf and http-parser are hidden -- a machine without Qt, as far as the loader can tell.
# The bind mounts live only in that namespace (unshare --mount), so nothing outside the test's temporary
# directory changes. Root only (unshare --mount): skips (exit 77) otherwise.
set -euo pipefail
build=${WPS_BUILD_DIR:?}
expected=${WPS_EXPECTED_VERSION:?}

if [[ $(id -u) -ne 0 ]]; then
  echo "SKIP: installer_tgz hides the system Qt in a mount namespace and needs root (run ctest as root)."
  exit 77
fi
command -v unshare >/dev/null || { echo "SKIP: unshare (util-linux) is not installed."; exit 77; }

tmp=$(mktemp -d /tmp/wps-installer-tgz.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

echo "---- cpack -G TGZ"
cpack -G TGZ -B "$tmp/pkg" --config "$build/CPackConfig.cmake" >"$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log"; exit 1; }
archive=$(ls "$tmp"/pkg/*.tar.gz)
mkdir "$tmp/x"
tar -xzf "$archive" -C "$tmp/x"
root=$(ls -d "$tmp"/x/*/)
for f in bin/webpubsub bin/webpubsub-emulator bin/qt.conf lib/libQt6Core.so.6 plugins/tls/libqopensslbackend.so; do
  [[ -e $root/$f ]] || { echo "FAIL: $f missing from $(basename "$archive")"; exit 1; }
done
echo "ok   $(basename "$archive"): $(du -sh "$archive" | cut -f1)"

# Runs inside the namespace: hide, then run the unpacked programs.
cat >"$tmp/inside.sh" <<'INSIDE'
set -euo pipefail
root=$1 tmp=$2 expected=$3 console=$4
libdir=/usr/lib/x86_64-linux-gnu
for f in "$libdir"/libQt6*.so.* "$libdir"/libqt6keychain*.so.* "$libdir"/libicu*.so.* \
  "$libdir"/libprotobuf.so.* "$libdir"/libhttp_parser.so.* "$libdir"/libdouble-conversion.so.*; do
  [[ -f $f && ! -L $f ]] && mount --bind /dev/null "$f"
done
[[ -d $libdir/qt6 ]] && mount -t tmpfs none "$libdir/qt6"
export ASAN_OPTIONS=detect_leaks=0 QT_QPA_PLATFORM=offscreen
programs=(webpubsub webpubsub-emulator)
[[ $console -eq 1 ]] && programs+=(webpubsub-console)
for p in "${programs[@]}"; do
  out=$(timeout 30 "$root/bin/$p" --version 2>&1) || { echo "FAIL: $p --version: $out"; exit 1; }
  [[ $out == *"$expected"* ]] || { echo "FAIL: $p --version printed '$out'"; exit 1; }
  echo "ok   $p --version without the system Qt: $out"
done
mkfifo "$tmp/emu.out"
"$root/bin/webpubsub-emulator" --port 0 >"$tmp/emu.out" 2>"$tmp/emu.err" &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
exec 3<"$tmp/emu.out"
IFS= read -r -t 30 connection <&3 || { echo "FAIL: the emulator printed no connection string"; cat "$tmp/emu.err"; exit 1; }
grep -q "$root" <(grep libQt6Core /proc/$pid/maps) || { echo "FAIL: libQt6Core not loaded from the bundle"; exit 1; }
timeout 30 "$root/bin/webpubsub" health --connection-string "$connection" --hub installer >/dev/null ||
  { echo "FAIL: bundled webpubsub health"; exit 1; }
echo "ok   bundled emulator and CLI talk (libQt6Core from the bundle)"
if [[ $console -eq 1 ]]; then
  timeout 60 "$root/bin/webpubsub-console" --connection-string "$connection" --screenshot "$tmp/console.png" \
    >"$tmp/console.log" 2>&1 || { echo "FAIL: bundled console --screenshot"; cat "$tmp/console.log"; exit 1; }
  [[ -s $tmp/console.png ]] || { echo "FAIL: bundled console saved no screenshot"; exit 1; }
  echo "ok   bundled console (offscreen plugin from the bundle) saved a screenshot"
fi
INSIDE
unshare --mount --propagation private bash "$tmp/inside.sh" "${root%/}" "$tmp" "$expected" "${WPS_CONSOLE_BUILT:-0}"
echo "ok   installer_tgz"
