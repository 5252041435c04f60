#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/ship/bench-deltas.sh GANTRY — run by hand in the toolbox (root, --privileged: it makes
# a network namespace):
#   scripts/dev bash bench/ship/bench-deltas.sh build/dev/bin/gantry
# A redeploy after a one-line backend change of a realistic app (examples/hello-stack with
# debug info kept, so the backend binary is >= 10 MB, and 2.5 MB of frontend assets), over a
# link shaped by tc netem to 10 Mbit/s and 40 ms RTT: the sshd runs in a network namespace
# this script makes (ip netns + veth), its docker is the local engine. In one run:
#   1. classic: docker save | gzip | ssh docker load
#   2. gantry, whole missing layers (--no-deltas)
#   3. gantry, in-layer deltas (the default)
# bytes and seconds of each, as ratios; the goals: bytes <= 25 % of the changed layers
# gzipped, edit -> healthy <= 30 s. GANTRY_BENCH_PREFIX names everything it creates.
set -euo pipefail
gantry=$(readlink -f "${1:?usage: bench-deltas.sh PATH/TO/gantry}")
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
prefix=${GANTRY_BENCH_PREFIX:-gantry-bench}
work=$(mktemp -d "/tmp/$prefix-deltas-XXXXXX")
tag=$prefix-deltas-$$
ns=$prefix-ns-$$
short=$(printf '%s' "$prefix" | tr -cd 'a-z0-9' | cut -c1-9)
vh=${short}h$$; vh=${vh:0:15}; vs=${short}s$$; vs=${vs:0:15}
net=10.213.$(( $$ % 200 + 20 ))
container=$prefix-deltas-c-$$
http_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sshd_pid=
cleanup() {
  [ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null || true
  docker rm -f "$container" >/dev/null 2>&1 || true
  docker rmi -f "$tag-v1" "$tag-v2" >/dev/null 2>&1 || true
  ip link del "$vh" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
now() { date +%s.%N; }
calc() { awk "BEGIN { print $* }"; }

echo "== the link: veth into network namespace $ns, shaped to 10 Mbit/s (and 20 ms each way with netem)"
ip netns add "$ns"
ip link add "$vh" type veth peer name "$vs"
ip link set "$vs" netns "$ns"
ip addr add "$net.1/24" dev "$vh"; ip link set "$vh" up
ip netns exec "$ns" ip addr add "$net.2/24" dev "$vs"
ip netns exec "$ns" ip link set "$vs" up; ip netns exec "$ns" ip link set lo up
shape() { # DEV [netns exec prefix...]: netem when the kernel has it, else tbf (rate only)
  local dev=$1; shift
  if "$@" tc qdisc add dev "$dev" root netem rate 10mbit delay 20ms limit 100000 2>/dev/null; then
    link="netem 10 Mbit/s, 40 ms RTT"
  else
    "$@" tc qdisc add dev "$dev" root tbf rate 10mbit burst 32kbit latency 400ms
    link="tbf 10 Mbit/s, NO added delay (this kernel has no sch_netem)"
  fi
}
shape "$vh"
shape "$vs" ip netns exec "$ns"
echo "   link: $link"
ip netns exec "$ns" tc qdisc show dev "$vs" | head -1

echo "== sshd inside the namespace"
mkdir -p /run/sshd "$work/remote-whole"
ssh-keygen -q -t ed25519 -N '' -f "$work/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$work/client_key"
cp "$work/client_key.pub" "$work/authorized_keys"
cat > "$work/sshd_config" <<CFG
Port 22
ListenAddress $net.2
HostKey $work/host_key
PidFile $work/sshd.pid
AuthorizedKeysFile $work/authorized_keys
StrictModes no
PermitRootLogin yes
UsePAM no
MaxSessions 50
CFG
ip netns exec "$ns" /usr/sbin/sshd -D -e -f "$work/sshd_config" 2>"$work/sshd.log" &
sshd_pid=$!
echo "$net.2 $(cut -d' ' -f1,2 "$work/host_key.pub")" > "$work/known_hosts"
for _ in $(seq 50); do (exec 3<>"/dev/tcp/$net.2/22") 2>/dev/null && break; sleep 0.1; done
ssh_opts=(-i "$work/client_key" -o IdentitiesOnly=yes -o UserKnownHostsFile="$work/known_hosts" -o BatchMode=yes)
ship_opts=(--to "root@$net.2" -i "$work/client_key" --known-hosts "$work/known_hosts" --batch
           --restart --name "$container" -p "127.0.0.1:$http_port:3000" --health "http://127.0.0.1:$http_port/api/health")
export XDG_CACHE_HOME="$work/cache" XDG_CONFIG_HOME="$work/config"

echo "== the app: hello-stack with debug info (a >= 10 MB binary) and 2.5 MB of assets"
ctx1="$work/ctx1"; ctx2="$work/ctx2"
mkdir -p "$ctx1"; cp -r "$repo/examples/hello-stack/backend" "$repo/examples/hello-stack/frontend" "$ctx1/"
rm -rf "$ctx1/backend/target" "$ctx1/frontend/dist" "$ctx1/frontend/node_modules"
sed -i 's/^strip = true$/strip = false\ndebug = true/' "$ctx1/backend/Cargo.toml"
python3 - "$ctx1/frontend/src/vendor.js" <<'PY'
import random, sys
random.seed(13)
words = ["const", "function", "return", "await", "state", "render", "props", "value", "index", "items", "update", "=>", "{", "}", ";"]
with open(sys.argv[1], "w") as f:
    n = 0
    while n < 2_500_000:
        line = " ".join(random.choice(words) + str(random.randint(0, 999)) for _ in range(12)) + "\n"
        f.write(line); n += len(line)
PY
cp -a "$ctx1" "$ctx2"
sed -i 's/version: env!("CARGO_PKG_VERSION"),/version: "gantry-bench-v2",/' "$ctx2/backend/src/main.rs"
dockerfile="$repo/tests/data/ship/hello-stack-delta.Dockerfile"
docker buildx build -q --load -t "$tag-v1" -f "$dockerfile" "$ctx1" >/dev/null
t0=$(now); docker buildx build -q --load -t "$tag-v2" -f "$dockerfile" "$ctx2" >/dev/null; t1=$(now)
build_s=$(calc "$t1 - $t0")
docker save -o "$work/v1.tar" "$tag-v1"
docker save -o "$work/v2.tar" "$tag-v2"
binary_size=$(tar -xOf "$work/v2.tar" manifest.json | python3 -c '
import json,sys,tarfile
m=json.load(sys.stdin)[0]; t=tarfile.open(sys.argv[1])
for l in m["Layers"]:
    for e in tarfile.open(fileobj=t.extractfile(l)):
        if e.name.endswith("hello-backend"): print(e.size)' "$work/v2.tar")
changed=$(comm -13 <(docker image inspect -f '{{range .RootFS.Layers}}{{println .}}{{end}}' "$tag-v1" | sort) \
                   <(docker image inspect -f '{{range .RootFS.Layers}}{{println .}}{{end}}' "$tag-v2" | sort) | sed 's/sha256://')
changed_gz=0
for h in $changed; do changed_gz=$((changed_gz + $(tar -xOf "$work/v2.tar" "blobs/sha256/$h" | gzip -c | wc -c))); done

echo "== the server holds v1 (shipped once, whole)"
docker rmi "$tag-v1" "$tag-v2" >/dev/null
"$gantry" ship "$work/v1.tar" "${ship_opts[@]}" --remote-dir "$work/remote-whole" > "$work/v1.out" 2>&1
cp -a "$work/remote-whole" "$work/remote-delta"

echo "== 1. classic: docker save | gzip | ssh docker load"
docker load -q -i "$work/v2.tar" >/dev/null   # docker save needs the image on this side
t0=$(now)
classic_bytes=$(docker save "$tag-v2" | gzip -c | tee >(ssh "${ssh_opts[@]}" "root@$net.2" docker load -q >/dev/null) | wc -c)
t1=$(now); classic_s=$(calc "$t1 - $t0")
docker rmi "$tag-v2" >/dev/null

echo "== 2. gantry, whole missing layers"
t0=$(now); "$gantry" ship "$work/v2.tar" --no-deltas "${ship_opts[@]}" --remote-dir "$work/remote-whole" > "$work/whole.out" 2>"$work/whole.err"; t1=$(now)
whole_s=$(calc "$t1 - $t0"); whole_bytes=$(sed -n 's/.*sent \([0-9]*\) bytes.*/\1/p' "$work/whole.out" | head -1)
docker rm -f "$container" >/dev/null; docker rmi "$tag-v2" >/dev/null

echo "== 3. gantry, in-layer deltas"
t0=$(now); "$gantry" ship "$work/v2.tar" "${ship_opts[@]}" --remote-dir "$work/remote-delta" > "$work/delta.out" 2>"$work/delta.err"; t1=$(now)
delta_s=$(calc "$t1 - $t0"); delta_bytes=$(sed -n 's/.*sent \([0-9]*\) bytes.*/\1/p' "$work/delta.out" | head -1)
curl -fsS "http://127.0.0.1:$http_port/api/health" | grep -q gantry-bench-v2 && healthy=yes || healthy=no

printf '\nbackend binary %s bytes; changed layer(s) gzipped %s bytes; build after the edit %.1f s\n' "$binary_size" "$changed_gz" "$build_s"
printf '\n%-40s %12s %10s %14s\n' "redeploy ($link)" "bytes" "seconds" "bytes/changed"
printf '%-40s %12s %10.1f %14.3f\n' "docker save | gzip | ssh docker load" "$classic_bytes" "$classic_s" "$(calc "$classic_bytes / $changed_gz")"
printf '%-40s %12s %10.1f %14.3f\n' "gantry, whole missing layers" "$whole_bytes" "$whole_s" "$(calc "$whole_bytes / $changed_gz")"
printf '%-40s %12s %10.1f %14.3f\n' "gantry, deltas (incl. restart + health)" "$delta_bytes" "$delta_s" "$(calc "$delta_bytes / $changed_gz")"
printf '\ndeltas vs classic: %.3f of the bytes, %.2f of the time; vs whole layers: %.3f of the bytes, %.2f of the time\n' \
  "$(calc "$delta_bytes / $classic_bytes")" "$(calc "$delta_s / $classic_s")" "$(calc "$delta_bytes / $whole_bytes")" "$(calc "$delta_s / $whole_s")"
printf 'goal bytes <= 25 %% of the changed layers gzipped: %.1f %%; edit -> healthy: build %.1f s + ship %.1f s = %.1f s (the new build answers: %s)\n' \
  "$(calc "100 * $delta_bytes / $changed_gz")" "$build_s" "$delta_s" "$(calc "$build_s + $delta_s")" "$healthy"
echo; echo "gantry delta ship:"; sed 's/^/  /' "$work/delta.out"; grep -E 'layer [0-9]+/' "$work/delta.err" | sed 's/^/  /'
