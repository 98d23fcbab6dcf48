#!/bin/sh
# Runs a command with a private session bus and an unlocked gnome-keyring (docs/profiles-and-secrets.md): the recipe for
# headless QtKeychain tests. Parallel-safe (own HOME, bus and keyring per run), leaves no daemon behind.
# Usage: tests/run_with_keyring.sh <command> [args...]
set -e
TMPHOME=$(mktemp -d)
export HOME="$TMPHOME" XDG_DATA_HOME="$TMPHOME/.local/share" XDG_CONFIG_HOME="$TMPHOME/.config" XDG_RUNTIME_DIR="$TMPHOME/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
trap 'rm -rf "$TMPHOME"' EXIT
# No exec here: the trap must run after the command to remove the temporary home.
dbus-run-session -- sh -c '
  printf "%s" "test-password" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
  exec "$@"' sh "$@"
