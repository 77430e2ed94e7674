#!/bin/sh
# setup.sh - install what fltsim needs to build and test: a C compiler
# (gcc and clang), make, pkg-config, CMocka, uthash, libuv and gcovr.
# Debian/Ubuntu: apt-get (through sudo when not root); macOS: Homebrew.
set -eu
case "$(uname -s)" in
Darwin)
    brew install cmocka libuv uthash gcovr pkg-config
    ;;
*)
    SUDO=""
    if [ "$(id -u)" != 0 ]; then
        if command -v sudo > /dev/null 2>&1; then SUDO=sudo; else
            echo "setup.sh: run as root or install sudo" >&2; exit 1
        fi
    fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update
    $SUDO apt-get install -y --no-install-recommends build-essential clang make pkg-config \
        libcmocka-dev uthash-dev libuv1-dev gcovr
    ;;
esac
