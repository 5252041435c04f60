#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/ship/bench-ship.sh GANTRY — run by hand in the toolbox (root, the engine's socket):
#   scripts/dev bash bench/ship/bench-ship.sh build/dev/bin/gantry
# 1. Full transfer: `gantry ship ARCHIVE --full` (upload + sha256 on the server + docker load)
#    against plain `scp` of the same archive, over a throwaway sshd on 127.0.0.1.
# 2. Redeploy after a one-line backend change: bytes gantry's layer delta sends against the
#    classic `docker save | gzip | ssh docker load` (which is also run, for real).
# Prints a table with ratios. Needs: sshd, docker, the local base images (scripts/setup).
set -euo pipefail
gantry=$(readlink -f "${1:?usage: bench-ship.sh PATH/TO/gantry}")
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d /tmp/gantry-bench-ship-XXXXXX)
tag=gantry-bench-ship-$$
big_image=${GANTRY_BENCH_IMAGE:-gantry/debian:trixie}
sshd_pid=
cleanup() {
  [ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null || true
  docker rmi -f "$tag-v1" "$tag-v2" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
now() { date +%s.%N; }
calc() { awk "BEGIN { print $* }"; }
elapsed() { calc "$2 - $1"; }

echo "== setting up sshd on 127.0.0.1 (in $work)"
mkdir -p /run/sshd "$work/remote" "$work/scp"
ssh-keygen -q -t ed25519 -N '' -f "$work/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$work/client_key"
cp "$work/client_key.pub" "$work/authorized_keys"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/sshd_config" <<CFG
Port $port
ListenAddress 127.0.0.1
HostKey $work/host_key
PidFile $work/sshd.pid
AuthorizedKeysFile $work/authorized_keys
StrictModes no
PermitRootLogin yes
UsePAM no
MaxSessions 50
Subsystem sftp internal-sftp
CFG
/usr/sbin/sshd -D -e -f "$work/sshd_config" 2>"$work/sshd.log" &
sshd_pid=$!
echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$work/host_key.pub")" > "$work/known_hosts"
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
ssh_opts=(-p "$port" -i "$work/client_key" -o IdentitiesOnly=yes -o UserKnownHostsFile="$work/known_hosts" -o BatchMode=yes)
ship_opts=(--to "root@127.0.0.1:$port" -i "$work/client_key" --known-hosts "$work/known_hosts" --batch)
export XDG_CACHE_HOME="$work/cache"

echo "== 1. full transfer of $big_image"
docker save -o "$work/big.tar" "$big_image"
size=$(stat -c %s "$work/big.tar")
# Best of three runs each: the machine is shared, a single run is noisy.
scp_s=; gantry_s=; upload_s=
for run in 1 2 3; do
  rm -rf "$work/scp/big.tar" "$work/remote/archives"
  t0=$(now); scp -q -P "$port" -i "$work/client_key" -o IdentitiesOnly=yes -o UserKnownHostsFile="$work/known_hosts" \
    "$work/big.tar" "root@127.0.0.1:$work/scp/big.tar"; t1=$(now)
  s=$(elapsed "$t0" "$t1"); scp_s=$(calc "${scp_s:-$s} < $s ? ${scp_s:-$s} : $s")
  t0=$(now); "$gantry" ship "$work/big.tar" --full "${ship_opts[@]}" --remote-dir "$work/remote" > "$work/full.out" 2>"$work/full.err"; t1=$(now)
  s=$(elapsed "$t0" "$t1"); gantry_s=$(calc "${gantry_s:-$s} < $s ? ${gantry_s:-$s} : $s")
  # Gantry's own upload phase (it reports it): upload + sha256 check on the server.
  s=$(calc "$(sed -n 's/.*uploaded in \([0-9]*\) ms.*/\1/p' "$work/full.out" | head -1) / 1000")
  upload_s=$(calc "${upload_s:-$s} < $s ? ${upload_s:-$s} : $s")
done

echo "== 2. redeploy after a one-line change of the backend"
ctx1="$work/ctx1"; ctx2="$work/ctx2"
for c in "$ctx1" "$ctx2"; do
  mkdir -p "$c"; cp -r "$repo/examples/hello-stack/backend" "$repo/examples/hello-stack/frontend" "$c/"
  rm -rf "$c/backend/target" "$c/frontend/dist" "$c/frontend/node_modules"
done
sed -i 's/version: env!("CARGO_PKG_VERSION"),/version: "gantry-test-v2",/' "$ctx2/backend/src/main.rs"
dockerfile="$repo/tests/data/ship/hello-stack-delta.Dockerfile"
docker buildx build -q --load -t "$tag-v1" -f "$dockerfile" "$ctx1" >/dev/null
docker buildx build -q --load -t "$tag-v2" -f "$dockerfile" "$ctx2" >/dev/null
docker save -o "$work/v1.tar" "$tag-v1"
docker save -o "$work/v2.tar" "$tag-v2"
docker rmi "$tag-v1" >/dev/null
"$gantry" ship "$work/v1.tar" "${ship_opts[@]}" --remote-dir "$work/remote" > "$work/v1.out" 2>&1
docker rmi "$tag-v2" >/dev/null
t0=$(now); "$gantry" ship "$work/v2.tar" "${ship_opts[@]}" --remote-dir "$work/remote" > "$work/v2.out" 2>&1; t1=$(now)
delta_s=$(elapsed "$t0" "$t1")
delta_bytes=$(sed -n 's/.*sent \([0-9]*\) bytes.*/\1/p' "$work/v2.out" | head -1)
docker rmi "$tag-v2" >/dev/null
# The classic way, for real, counting the bytes that go into ssh.
t0=$(now)
docker load -q -i "$work/v2.tar" >/dev/null   # docker save needs the image locally
classic_bytes=$(docker save "$tag-v2" | gzip -c | tee >(ssh "${ssh_opts[@]}" root@127.0.0.1 docker load -q >/dev/null) | wc -c)
t1=$(now)
classic_s=$(elapsed "$t0" "$t1")
# The changed layer, gzip-compressed (the floor for any redeploy).
changed=$(comm -13 <(docker image inspect -f '{{range .RootFS.Layers}}{{println .}}{{end}}' "$tag-v1" 2>/dev/null | sort || true) \
                   <(docker image inspect -f '{{range .RootFS.Layers}}{{println .}}{{end}}' "$tag-v2" | sort) | sed 's/sha256://')
changed_gz=0
for h in $changed; do
  n=$(tar -xOf "$work/v2.tar" "blobs/sha256/$h" | gzip -c | wc -c); changed_gz=$((changed_gz + n))
done

mb() { calc "$1 / 1000000"; }
printf '\n%-44s %14s %14s %8s\n' "measure" "gantry" "classic" "ratio"
printf '%-44s %14s %14s %8s\n' "--------------------------------------------" "--------------" "--------------" "--------"
printf '%-44s %12.1f s %12.1f s %8.2f\n' "full transfer $(mb "$size") MB (gantry incl. load vs scp)" "$gantry_s" "$scp_s" "$(calc "$scp_s / $gantry_s")"
printf '%-44s %9.1f MB/s %9.1f MB/s %8.2f\n' "  throughput: upload+remote sha256 vs scp" "$(calc "$size / $upload_s / 1000000")" \
  "$(calc "$size / $scp_s / 1000000")" "$(calc "$scp_s / $upload_s")"
printf '%-44s %14s %14s %8.3f\n' "redeploy after a one-line change: bytes" "$delta_bytes" "$classic_bytes" "$(calc "$delta_bytes / $classic_bytes")"
printf '%-44s %12.1f s %12.1f s %8.2f\n' "redeploy: wall time" "$delta_s" "$classic_s" "$(calc "$classic_s / $delta_s")"
printf '%-44s %14s\n' "changed layer(s), gzip -c" "$changed_gz"
printf '%-44s %14s\n' "saved by the delta (classic - gantry)" "$((classic_bytes - delta_bytes))"
printf '%-44s %14s\n' "unchanged layers, gzip (what must be saved)" "$((classic_bytes - changed_gz))"
echo
echo "gantry full-ship output:"; sed 's/^/  /' "$work/full.out"
echo "gantry delta-ship output (v2):"; grep -v '^\[' "$work/v2.out" | sed 's/^/  /'
