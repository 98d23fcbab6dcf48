#!/usr/bin/env bash
# installer_deb: builds the .deb from this build tree (cpack -G DEB), checks it with lintian, installs it with
# apt-get, runs the three installed programs (--version; the emulator; the console offscreen against it),
# and purges the package again -- also when a step fails. Root only: skips (exit 77) otherwise. It touches
# nothing but the package's own files: apt-get may install nothing else (checked with a simulated install
# first), so a missing dependency fails the test instead of pulling packages in, and an already installed
# webpubsub-console (someone's real install) makes the test skip rather than replace it.
set -euo pipefail
pkg=webpubsub-console
build=${WPS_BUILD_DIR:?}
expected=${WPS_EXPECTED_VERSION:?}

if [[ $(id -u) -ne 0 ]]; then
  echo "SKIP: installer_deb installs a package system-wide and needs root (run ctest as root)."
  exit 77
fi
for tool in cpack apt-get dpkg dpkg-deb; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed."; exit 77; }
done
if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed'; then
  echo "SKIP: $pkg is already installed on this machine; not replacing it (dpkg --purge $pkg to run this test)."
  exit 77
fi

tmp=$(mktemp -d /tmp/wps-installer-deb.XXXXXX)
emulator_pid=
installed=0
cleanup() {
  local rc=$?
  if [[ -n $emulator_pid ]]; then kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; fi
  if [[ $installed -eq 1 ]]; then
    if dpkg-query -W "$pkg" >/dev/null 2>&1; then
      dpkg --purge "$pkg" >/dev/null || { echo "FAIL: dpkg --purge $pkg"; rc=1; }
    fi
    if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || [[ -e /usr/bin/webpubsub ]]; then
      echo "FAIL: $pkg is still installed after the purge"
      rc=1
    else
      echo "ok   $pkg purged"
    fi
  fi
  rm -rf "$tmp"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { echo "---- $*"; }

step "cpack -G DEB"
cpack -G DEB -B "$tmp/pkg" --config "$build/CPackConfig.cmake" >"$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log"; exit 1; }
deb=$(ls "$tmp"/pkg/*.deb)
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
[[ $depends == *libqt6core6* && $depends == *libc6* ]] || { echo "FAIL: Depends not computed by dpkg-shlibdeps"; exit 1; }

if command -v lintian >/dev/null; then
  step "lintian (errors fail the test)"
  lintian_rc=0
  lintian_out=$(lintian --fail-on error --tag-display-limit 0 "$deb" 2>&1) || lintian_rc=$?
  grep -v 'root privileges' <<<"$lintian_out" || true
  [[ $lintian_rc -eq 0 ]] || { echo "FAIL: lintian reports errors"; exit 1; }
else
  echo "note: lintian not installed (apt-get install lintian); lintian step left out"
fi

step "apt-get install $deb"
# Only the package itself may be installed: a dependency missing here fails the test instead of being pulled.
would=$(apt-get install -s --no-install-recommends "$deb" 2>/dev/null | awk '/^Inst /{print $2}' | sort -u)
[[ $would == "$pkg" ]] || { echo "FAIL: installing would also change: $(echo $would)"; exit 1; }
installed=1 # from here on, the cleanup purges whatever part of the package got installed
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  -o DPkg::Lock::Timeout=60 "$deb" >"$tmp/apt.log" 2>&1 || { cat "$tmp/apt.log"; exit 1; }
for f in /usr/bin/webpubsub /usr/bin/webpubsub-emulator /usr/share/man/man1/webpubsub.1.gz \
  /usr/share/bash-completion/completions/webpubsub /usr/share/doc/$pkg/copyright; do
  [[ -e $f ]] || { echo "FAIL: $f not installed"; exit 1; }
done
# The console's offline help (Help > User guide) with its pictures.
if [[ ${WPS_CONSOLE_BUILT:-0} -eq 1 ]]; then
  for f in /usr/share/webpubsub-console/help/user-guide.html /usr/share/webpubsub-console/help/screenshots; do
    [[ -e $f ]] || { echo "FAIL: $f not installed"; exit 1; }
  done
fi

# A sanitizer build is packaged as it is: leak reports at exit are not this test's business.
export ASAN_OPTIONS=detect_leaks=0 QT_QPA_PLATFORM=offscreen
programs=(webpubsub webpubsub-emulator)
[[ ${WPS_CONSOLE_BUILT:-0} -eq 1 ]] && programs+=(webpubsub-console)
for p in "${programs[@]}"; do
  out=$(timeout 30 "/usr/bin/$p" --version 2>/dev/null)
  echo "$p --version: $out"
  [[ $out == *"$expected"* ]] || { echo "FAIL: $p --version does not print '$expected'"; exit 1; }
done

step "installed emulator, CLI and console"
mkfifo "$tmp/emu.out"
/usr/bin/webpubsub-emulator --port 0 >"$tmp/emu.out" 2>"$tmp/emu.err" &
emulator_pid=$!
exec 3<"$tmp/emu.out"
IFS= read -r -t 30 connection <&3 || { echo "FAIL: the emulator printed no connection string"; cat "$tmp/emu.err"; exit 1; }
[[ $connection == Endpoint=http://127.0.0.1:* ]] || { echo "FAIL: unexpected first line from the emulator"; exit 1; }
timeout 30 /usr/bin/webpubsub health --connection-string "$connection" --hub installer >/dev/null ||
  { echo "FAIL: webpubsub health against the installed emulator"; exit 1; }
echo "ok   webpubsub health against the installed emulator"
if [[ ${WPS_CONSOLE_BUILT:-0} -eq 1 ]]; then
  timeout 60 /usr/bin/webpubsub-console --connection-string "$connection" --screenshot "$tmp/console.png" \
    >"$tmp/console.log" 2>&1 || { echo "FAIL: webpubsub-console --screenshot"; cat "$tmp/console.log"; exit 1; }
  [[ $(head -c 8 "$tmp/console.png" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] ||
    { echo "FAIL: the console saved no PNG"; exit 1; }
  echo "ok   console screenshot saved ($(stat -c %s "$tmp/console.png") bytes)"
else
  echo "note: built without the console (WPS_BUILD_UI=OFF); console step left out"
fi
echo "ok   installer_deb"
