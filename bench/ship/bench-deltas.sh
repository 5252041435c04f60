#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/ship/bench-deltas.sh GANTRY — run by hand in the toolbox (it starts a privileged
# container and shapes its link):
#   scripts/dev bash bench/ship/bench-deltas.sh build/dev/bin/gantry
# A redeploy after a one-line backend change of a realistic app (examples/hello-stack with
# debug info kept, so the backend binary is >= 10 MB, and 2.5 MB of frontend assets), over a
# link shaped by tc netem to 10 Mbit/s and 40 ms RTT. The server is a second machine: a
# gantry/test-server container (scripts/setup builds it) with its own network namespace,
# dockerd, image store and sshd, its eth0 shaped both ways (tbf at 10 Mbit/s where the
# kernel has no netem: the table's "link:" line says which). In one run:
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
server=$prefix-deltas-server-$$
container=$prefix-deltas-c-$$
cleanup() {
  docker rm -f -v "$server" >/dev/null 2>&1 || true
  docker rmi -f "$tag-v1" "$tag-v2" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
now() { date +%s.%N; }
calc() { awk "BEGIN { print $* }"; }
on_server() { docker exec "$server" sh -c "$1"; }

echo "== the server: a second machine (gantry/test-server: its own dockerd, image store and sshd)"
ssh-keygen -q -t ed25519 -N '' -f "$work/client_key"
docker run -d --rm --name "$server" --privileged --mount type=volume,dst=/var/lib/docker \
  -p 127.0.0.1::22 -p 127.0.0.1::3000 -e GANTRY_SERVER_STORE=classic \
  -e GANTRY_SERVER_AUTHORIZED_KEY="$(cat "$work/client_key.pub")" gantry/test-server:latest >/dev/null
for _ in $(seq 120); do on_server 'test -e /run/gantry-server-ready' 2>/dev/null && break; sleep 0.5; done
ssh_port=$(docker port "$server" 22/tcp | head -1 | sed 's/.*://')
http_port=$(docker port "$server" 3000/tcp | head -1 | sed 's/.*://')
echo "[127.0.0.1]:$ssh_port $(on_server 'cut -d" " -f1,2 /etc/ssh/ssh_host_ed25519_key.pub')" > "$work/known_hosts"

echo "== the link: the server's eth0 shaped both ways (ingress through an ifb) to 10 Mbit/s (and 20 ms each way with netem)"
if on_server 'tc qdisc add dev lo root netem delay 1ms && tc qdisc del dev lo root' 2>/dev/null; then
  qdisc="netem delay 20ms rate 10mbit limit 100000"; link="netem 10 Mbit/s, 40 ms RTT"
else
  qdisc="tbf rate 10mbit burst 32kb latency 400ms"; link="tbf 10 Mbit/s, NO added delay (this kernel has no sch_netem)"
fi
on_server "ip link add gifb0 type ifb && ip link set gifb0 up && tc qdisc add dev eth0 handle ffff: ingress \
  && tc filter add dev eth0 parent ffff: protocol all u32 match u32 0 0 action mirred egress redirect dev gifb0 \
  && tc qdisc add dev gifb0 root $qdisc && tc qdisc replace dev eth0 root $qdisc"
echo "   link: $link"

ssh_opts=(-p "$ssh_port" -i "$work/client_key" -o IdentitiesOnly=yes -o UserKnownHostsFile="$work/known_hosts" -o BatchMode=yes)
ship_opts=(--to "root@127.0.0.1:$ssh_port" -i "$work/client_key" --known-hosts "$work/known_hosts" --batch
           --restart --name "$container" -p "3000:3000" --health "http://127.0.0.1:$http_port/api/health")
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
token=gantry-bench-v2-$(date +%s)   # new every run: BuildKit must not reuse an earlier v2
sed -i 's/version: env!("CARGO_PKG_VERSION"),/version: "'"$token"'",/' "$ctx2/backend/src/main.rs"
grep -q "$token" "$ctx2/backend/src/main.rs"
# Gantry's own recipe keeps cargo's target folder in a BuildKit cache mount, so an edit
# recompiles the changed crate only; the bench's Dockerfile does the same.
dockerfile="$work/bench.Dockerfile"
sed 's#^RUN case "\$TARGETARCH" in#RUN --mount=type=cache,id=gantry-bench-target,target=/src/backend/target case "$TARGETARCH" in#' \
  "$repo/tests/data/ship/hello-stack-delta.Dockerfile" > "$dockerfile"
grep -q 'type=cache' "$dockerfile"
docker buildx build -q --load -t "$tag-v1" -f "$dockerfile" "$ctx1" >/dev/null
# The edit happens after the first build, as a user's does: cargo (its target folder kept in
# the cache mount) compares the source's mtime with its last build.
touch "$ctx2/backend/src/main.rs"
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
"$gantry" ship "$work/v1.tar" "${ship_opts[@]}" --remote-dir /srv/bench/whole > "$work/v1.out" 2>&1
on_server 'cp -a /srv/bench/whole /srv/bench/delta'
v2_id=$(tar -xOf "$work/v2.tar" manifest.json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Config"].split("/")[-1].split(".")[0])')
forget_v2() { # the server as it was after v1: v2's containers and image gone (v1 stays, in use)
  on_server "docker ps -aq --filter ancestor=$v2_id | xargs -r docker rm -f >/dev/null; docker rmi -f $v2_id >/dev/null 2>&1; true"
}

echo "== 1. classic: docker save | gzip | ssh docker load"
docker load -q -i "$work/v2.tar" >/dev/null   # docker save needs the image on this side
t0=$(now)
docker save "$tag-v2" | gzip -c | tee "$work/classic.tar.gz" | ssh "${ssh_opts[@]}" root@127.0.0.1 docker load -q >/dev/null
t1=$(now); classic_s=$(calc "$t1 - $t0")
classic_bytes=$(wc -c < "$work/classic.tar.gz")
docker rmi "$tag-v2" >/dev/null
forget_v2

echo "== 2. gantry, whole missing layers"
t0=$(now); "$gantry" ship "$work/v2.tar" --no-deltas "${ship_opts[@]}" --remote-dir /srv/bench/whole > "$work/whole.out" 2>"$work/whole.err"; t1=$(now)
whole_s=$(calc "$t1 - $t0"); whole_bytes=$(sed -n 's/.*sent \([0-9]*\) bytes.*/\1/p' "$work/whole.out" | head -1)
docker rmi "$tag-v2" >/dev/null 2>&1 || true
forget_v2

echo "== 3. gantry, in-layer deltas"
t0=$(now); "$gantry" ship "$work/v2.tar" "${ship_opts[@]}" --remote-dir /srv/bench/delta > "$work/delta.out" 2>"$work/delta.err"; t1=$(now)
delta_s=$(calc "$t1 - $t0"); delta_bytes=$(sed -n 's/.*sent \([0-9]*\) bytes.*/\1/p' "$work/delta.out" | head -1)
curl -fsS "http://127.0.0.1:$http_port/api/health" | grep -q "$token" && healthy=yes || healthy=no

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
