#!/bin/sh
# Installs every Debian 12 package dutydesk needs to build, run, test and
# benchmark, and generates the zh_CN.UTF-8 locale.  Idempotent.
set -eu

# libnotify4 is loaded by the console at run time (dlopen); the tests
# need a session bus (dbus: dbus-daemon, dbus-run-session), GIO for their
# notification server (libglib2.0-dev) and fixed clocks (faketime).
# libcurl4 is loaded by the console's sync (dlopen); dutydeskd links
# libmicrohttpd (built with GnuTLS, for https); the sync tests drive the
# server with curl and make a self-signed certificate with openssl.
# clang and its runtimes (libclang-rt-14-dev: libFuzzer, ASan, UBSan)
# build the fuzz targets of `make check`; taskd is bench/sync.sh's
# comparison for `task sync`.
PACKAGES="build-essential pkg-config gettext locales tzdata tmux \
libncurses-dev libsqlite3-dev sqlite3 libjansson-dev libconfig-dev libssl-dev \
libcurl4-openssl-dev libnotify-dev libnotify4 libmicrohttpd-dev libcmocka-dev \
dbus libglib2.0-dev faketime \
libcurl4 curl openssl \
hyperfine taskwarrior taskd calcurse \
clang libclang-rt-14-dev"

if [ "$(id -u)" != 0 ]; then
	echo "make deps needs root to install packages. Run:" >&2
	echo "  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y $PACKAGES" >&2
	echo "  sudo localedef -i zh_CN -f UTF-8 zh_CN.UTF-8" >&2
	exit 1
fi

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done

if [ -n "$missing" ]; then
	# The package lists are stale when missing or older than a day.
	lists=/var/lib/apt/lists
	if [ -z "$(find "$lists" -maxdepth 1 -name '*_Packages' -mtime -1 2>/dev/null | head -1)" ]; then
		apt-get update -q
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi

if ! locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
	localedef -i zh_CN -f UTF-8 zh_CN.UTF-8
fi
echo "dependencies ready"
