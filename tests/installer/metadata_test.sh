#!/usr/bin/env bash
# installer_metadata: the files `cmake --install` lays out next to the programs are valid and in step with
# the CLI. Needs appstreamcli (apt: appstream) and man (man-db); no root.
set -euo pipefail
src=${WPS_SOURCE_DIR:?}
res=$src/resources
id=io.github.webpubsubconsole.WebPubSubConsole
fail=0
check() { # check <what> <command...>: runs the command, reports and counts a failure
  local what=$1
  shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fail=1; fi
}

check "AppStream metainfo validates" appstreamcli validate --no-net "$res/$id.metainfo.xml"
check "desktop file names the program and icon" \
  grep -qx "Exec=webpubsub-console" "$res/$id.desktop"
check "desktop file icon is the app id" grep -qx "Icon=$id" "$res/$id.desktop"
if command -v desktop-file-validate >/dev/null; then
  check "desktop-file-validate" desktop-file-validate "$res/$id.desktop"
fi
for size in 16 22 24 32 48 64 128 256 512; do
  png=$res/icons/hicolor/${size}x${size}/apps/$id.png
  check "icon ${size}x${size} is a ${size}x${size} PNG" \
    python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); sys.exit(not(d[:8]==b"\x89PNG\r\n\x1a\n" and struct.unpack(">II",d[16:24])==(int(sys.argv[2]),)*2))' \
    "$png" "$size"
done
for page in webpubsub-console webpubsub-emulator webpubsub; do
  # man --warnings prints troff warnings on stderr; any output there is a defect.
  warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$res/man/$page.1" 2>&1 >/dev/null || true)
  check "man page $page.1 renders without warnings" test -z "$warnings"
done

# The man page and the completion list every command and every option of `webpubsub help`.
help=$("${WPS_CLI_BIN:?}" help)
commands=$(sed -n '/^Commands:/,/^$/p' <<<"$help" | awk 'NR > 1 && NF { print $1 }')
options=$(sed -n '/^Options:/,/^Arguments:/p' <<<"$help" | grep -oE -- '--[a-z-]+' | sort -u)
check "webpubsub help lists commands" test "$(wc -l <<<"$commands")" -gt 20
completion=$res/completions/webpubsub.bash
for c in $commands; do
  grep -qw -- "$c" "$completion" || { echo "FAIL completion lacks command $c"; fail=1; }
  grep -qxF -- ".B ${c//-/\\-}" "$res/man/webpubsub.1" || { echo "FAIL man page lacks command $c"; fail=1; }
done
for o in $options --version; do
  grep -q -- "$o" "$completion" || { echo "FAIL completion lacks option $o"; fail=1; }
  grep -qF -- "${o//-/\\-}" "$res/man/webpubsub.1" || { echo "FAIL man page lacks option $o"; fail=1; }
done
check "completion script parses" bash -n "$completion"
# Without bash-completion's helpers the function cannot run; with them, complete the command word.
if [[ -r /usr/share/bash-completion/bash_completion ]]; then
  got=$(bash -c 'source /usr/share/bash-completion/bash_completion; source "$1";
                 COMP_WORDS=(webpubsub send-to-g); COMP_CWORD=1; COMP_LINE="webpubsub send-to-g";
                 COMP_POINT=${#COMP_LINE}; _webpubsub; echo "${COMPREPLY[*]}"' _ "$completion")
  check "completion completes send-to-g" test "$got" = "send-to-group"
fi
exit $fail
