#!/usr/bin/env bash
# Runs every test. Installs the Debian packages the tests need when they are missing
# (chronyd, sshd, ssh, udevadm/systemd-udevd, ip, unshare, curl, jq and iptables (the device suite's
# commands over SSH into a sim device), runc, and mmdebstrap with systemd-nspawn for the tests under
# a booted systemd, and chromium for the fleet report page), then runs Maven.
# The container test runs when the image tarball exists (mvn -pl deploy -am package -Pimage
# -DskipTests, as .ci/run does) and skips with its reason otherwise.
# Extra arguments go to Maven, e.g. ./test.sh -pl chrony-bridge
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
missing=()
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ] || [ -x "/lib/systemd/$1" ]; }
have chronyd        || missing+=(chrony)
have sshd           || missing+=(openssh-server)
have ssh            || missing+=(openssh-client)
have udevadm        || missing+=(udev)
have systemd-udevd  || missing+=(udev)
have ip             || missing+=(iproute2)
have unshare        || missing+=(util-linux)
have curl           || missing+=(curl)
have jq             || missing+=(jq)
have iptables       || missing+=(iptables)
have runc           || missing+=(runc)
have nsenter        || missing+=(util-linux)
have mmdebstrap     || missing+=(mmdebstrap)
have systemd-nspawn || missing+=(systemd-container)
have chromium       || missing+=(chromium)          # the fleet report page, opened headless in a test
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}" >&2
  sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
mkdir -p /run/sshd 2>/dev/null || true
exec mvn -B test "$@"
