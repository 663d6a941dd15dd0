#!/bin/sh
# Makes sure Debian's PostgreSQL server is installed for the two-replica test
# (packages/backend/e2e-tests). The test starts and stops its own server in a temporary directory;
# this only installs the binaries (the package's default cluster is left as Debian sets it up).
set -eu
for postgres in /usr/lib/postgresql/*/bin/postgres; do
  if [ -x "$postgres" ]; then exit 0; fi
done
echo "postgres: installing Debian's postgresql package for the two-replica test" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
