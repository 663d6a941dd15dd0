#!/bin/sh
# Makes sure Debian's Chromium is installed for the end-to-end test (playwright-core drives it;
# nothing ever downloads a browser of its own).
set -eu
if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  exit 0
fi
echo "chromium: installing Debian's chromium package for the end-to-end test" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
