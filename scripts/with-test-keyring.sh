#!/usr/bin/env bash
# Runs a command with a Secret Service for keytar to talk to.
#
# On Linux without a session bus (CI, containers, SSH), it starts a private D-Bus session with
# a throwaway GNOME Keyring unlocked by a throwaway password, so tests use a real keychain
# without touching the user's. Where a session bus already exists (a desktop, or an outer
# run of this script), it runs the command as it is: tests then use their own keychain
# service names and delete what they create. On macOS and Windows the OS keychain is used.
set -euo pipefail

if [[ "$(uname -s)" != "Linux" || -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]]; then
  exec "$@"
fi

for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "with-test-keyring: '$tool' is missing; install dbus and gnome-keyring (see .ci/run)." >&2
    exit 1
  fi
done

# A fresh keyring folder each run: the daemon creates a new login keyring with this password,
# and nothing from an earlier run (or the user's own keyring) is involved.
keyring_home="$(mktemp -d -t agent-keyring-test-keyring.XXXXXX)"
trap 'rm -rf "$keyring_home"' EXIT
export AGENT_KEYRING_TEST_KEYRING_HOME="$keyring_home"
# Set for the whole session: if D-Bus ever activates another keyring daemon, it uses this folder too.
export XDG_DATA_HOME="$keyring_home"
dbus-run-session -- bash -c '
  echo -n "throwaway-test-password" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  # Wait until the daemon owns the Secret Service name, so no client races it into D-Bus activation.
  for _ in $(seq 100); do
    dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true && break
    sleep 0.05
  done
  exec "$@"
' with-test-keyring "$@"
