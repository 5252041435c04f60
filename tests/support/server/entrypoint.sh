#!/bin/sh
# SPDX-License-Identifier: MIT
# The test server's start: its own dockerd (image store from GANTRY_SERVER_STORE: classic
# or containerd), its own sshd on port 22 (root by key: GANTRY_SERVER_AUTHORIZED_KEY), a
# fresh host key, then /run/gantry-server-ready. It ends itself after
# GANTRY_SERVER_LIFETIME seconds (default 3 h) so a crashed test leaves nothing behind.
# GANTRY_SERVER_ARCH=arm64 makes it an arm64 server: Debian's arm64 dockerd under QEMU user
# emulation (see the Dockerfile), with the runtime wrapper arm64-runc; native by default.
set -eu
store=${GANTRY_SERVER_STORE:-classic}
arch=${GANTRY_SERVER_ARCH:-native}
mkdir -p /etc/docker /run/sshd /root/.ssh /var/log
case "$store" in
  containerd) snapshotter=true ;;
  classic) snapshotter=false ;;
  *) echo "GANTRY_SERVER_STORE must be classic or containerd, not $store" >&2; exit 2 ;;
esac
case "$arch" in
  native)
    dockerd=dockerd tries=120
    echo "{\"features\":{\"containerd-snapshotter\":$snapshotter}}" >/etc/docker/daemon.json ;;
  arm64)
    dockerd=/usr/local/lib/gantry-arm64/dockerd tries=400
    if ! "$dockerd" --version >/dev/null 2>&1; then
      echo "this host cannot run the arm64 dockerd: register QEMU for aarch64 with binfmt_misc (F flag), as scripts/setup does" >&2
      exit 3
    fi
    echo "{\"features\":{\"containerd-snapshotter\":$snapshotter},\"runtimes\":{\"gantry-arm64\":{\"path\":\"/usr/local/lib/gantry-arm64/runc\"}},\"default-runtime\":\"gantry-arm64\"}" >/etc/docker/daemon.json ;;
  *) echo "GANTRY_SERVER_ARCH must be native or arm64, not $arch" >&2; exit 2 ;;
esac
printf '%s\n' "${GANTRY_SERVER_AUTHORIZED_KEY:-}" >/root/.ssh/authorized_keys
chmod 700 /root/.ssh && chmod 600 /root/.ssh/authorized_keys
ssh-keygen -q -t ed25519 -N '' -f /etc/ssh/ssh_host_ed25519_key
cat >/etc/ssh/sshd_config <<EOC
Port 22
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
UsePAM no
PubkeyAuthentication yes
MaxSessions 50
MaxStartups 50
LogLevel VERBOSE
AcceptEnv LANG
Subsystem sftp internal-sftp
EOC
$dockerd >/var/log/dockerd.log 2>&1 &
/usr/sbin/sshd -D -e 2>>/var/log/sshd.log &
i=0
until docker version >/dev/null 2>&1; do
  i=$((i + 1))
  [ $i -lt $tries ] || { echo "dockerd did not come up" >&2; tail -n 30 /var/log/dockerd.log >&2; exit 1; }
  sleep 0.5
done
touch /run/gantry-server-ready
exec sleep "${GANTRY_SERVER_LIFETIME:-10800}"
