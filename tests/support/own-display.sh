#!/usr/bin/env bash
# own-display.sh [--bus] COMMAND…: runs one test on an X display of its own (a new Xvfb), so the
# window tests run beside the rest of the suite instead of one at a time, without sharing a
# screen or the keyboard focus. With --bus it also gets its own D-Bus session with its own
# keyring and accessibility bus: a test that owns a name there (the notification server), or
# reads the app's tree through AT-SPI, meets no other test.
# The exit status is the command's; the server goes away with it.
set -uo pipefail

if [ "${1:-}" = --bus ]; then
  shift
  if [ -z "${SITREP_OWN_BUS:-}" ]; then
    SITREP_OWN_BUS=1 exec dbus-run-session -- "$0" --bus "$@"
  fi
  own_bus=1
else
  own_bus=0
fi

# The suite's G_DEBUG=fatal-warnings is for the test, not for the servers started for it (a
# keyring daemon that warns would abort and leave the bus).
test_g_debug="${G_DEBUG-}"
unset G_DEBUG

scratch=$(mktemp -d /tmp/sitrep-display.XXXXXX)
xvfb_pid=""
atspi_pid=""
keyring_pid=""

cleanup() {
  for pid in $atspi_pid $keyring_pid $xvfb_pid; do
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  rm -rf "$scratch"
}
trap cleanup EXIT

# -displayfd: the server picks a free display itself and writes its number once it listens, so
# two tests starting at the same moment never race for one number (as xvfb-run -a can).
# -noreset: by default the server resets when its last client goes (xdpyinfo below, a helper of
# the session), and a client connecting during the reset is refused ("unable to open display",
# seen as "No display" from a test now and then); eight xdpyinfo loops at once against one
# server lost 4 connections of 320 without it, none with it. Each start is checked with
# xdpyinfo, and a server that does not answer is replaced, three times at the most.
start_xvfb() {
  : >"$scratch/display"
  Xvfb -displayfd 5 -screen 0 1280x1024x24 -nolisten tcp -noreset 5>"$scratch/display" \
    >>"$scratch/xvfb.log" 2>&1 &
  xvfb_pid=$!
  for _ in $(seq 1 600); do
    [ -s "$scratch/display" ] && break
    kill -0 "$xvfb_pid" 2>/dev/null || break
    sleep 0.05
  done
  [ -s "$scratch/display" ] || return 1
  export DISPLAY=":$(tr -d '\n' <"$scratch/display")"
  command -v xdpyinfo >/dev/null || return 0
  for _ in $(seq 1 100); do
    xdpyinfo >/dev/null 2>&1 && return 0
    kill -0 "$xvfb_pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

started=0
for attempt in 1 2 3; do
  if start_xvfb; then
    started=1
    break
  fi
  kill "$xvfb_pid" 2>/dev/null
  wait "$xvfb_pid" 2>/dev/null
  xvfb_pid=""
done
if [ "$started" != 1 ]; then
  echo "Bail out! Xvfb did not start or answer: $(tail -3 "$scratch/xvfb.log")"
  exit 1
fi

if [ "$own_bus" = 1 ]; then
  # A runtime folder of its own: the keyring's control socket and the accessibility bus's
  # address live there, and two tests must not find each other's.
  export XDG_RUNTIME_DIR="$scratch/runtime"
  mkdir -m 700 "$XDG_RUNTIME_DIR"
  # The new bus's own unlocked keyring, in files of its own: the app asks the Secret Service for
  # what it keeps there.
  if command -v gnome-keyring-daemon >/dev/null; then
    mkdir -p "$scratch/keyrings"
    keyring=$(printf 'sitrep-test' | XDG_DATA_HOME="$scratch/keyrings" \
                gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)
    eval "$keyring"
    eval "$(XDG_DATA_HOME="$scratch/keyrings" gnome-keyring-daemon --start --components=secrets \
              2>/dev/null)"
    keyring_pid="${GNOME_KEYRING_PID:-}"
  fi
  launcher=$(ls /usr/libexec/at-spi-bus-launcher /usr/lib/at-spi2-core/at-spi-bus-launcher \
               2>/dev/null | head -1)
  if [ -n "$launcher" ]; then
    "$launcher" --launch-immediately >"$scratch/at-spi.log" 2>&1 &
    atspi_pid=$!
  fi
fi

if [ -n "$test_g_debug" ]; then
  export G_DEBUG="$test_g_debug"
fi
# Under the sanitizers, the window tests' own settings (build-aux/sitrep-dev says why) come
# after the suite's, and so win.
if [ -n "${ASAN_OPTIONS:-}" ] && [ -n "${SITREP_UI_ASAN_OPTIONS:-}" ]; then
  export ASAN_OPTIONS="$ASAN_OPTIONS:$SITREP_UI_ASAN_OPTIONS"
fi
"$@"
