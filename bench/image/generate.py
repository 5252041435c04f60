#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes a docker-save style image archive for the benchmark: LAYERS gzip-compressed
layer tars holding FILES files in all, about GIB gibibytes of file data. Used only by
bench/image/run.sh (it is a generator, not part of Gantry)."""
import hashlib, io, json, os, random, sys, tarfile, time

out, gib, files, layers = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
total = int(gib * (1 << 30))
per_layer = files // layers
avg = total // files
rng = random.Random(42)
noise = os.urandom(1 << 20)            # incompressible part
text = (b"gantry benchmark line of text, compressible; " * 2000)
t0 = time.time()

with tarfile.open(out, "w", format=tarfile.GNU_FORMAT) as outer:
    diff_ids, layer_names, history = [], [], []
    for l in range(layers):
        name = f"layer{l:02d}.tar.gz"
        tmp = out + f".{l}.tmp"
        with open(tmp, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=1, format=tarfile.GNU_FORMAT) as t:
                for d in range(per_layer // 100):
                    info = tarfile.TarInfo(f"srv/layer{l}/dir{d:04d}")
                    info.type = tarfile.DIRTYPE
                    info.mode = 0o755
                    t.addfile(info)
                    for f in range(100):
                        size = max(0, int(rng.expovariate(1.0 / avg)))
                        size = min(size, 40 * avg)
                        half = size // 2
                        start = rng.randrange(0, len(noise) - half) if half < len(noise) else 0
                        data = noise[start:start + half] + text[: size - half] if size - half <= len(text) else noise[start:start + half] + (text * (size // len(text) + 1))[: size - half]
                        info = tarfile.TarInfo(f"srv/layer{l}/dir{d:04d}/file{f:03d}.bin")
                        info.size = len(data)
                        info.mode = 0o644
                        t.addfile(info, io.BytesIO(data))
        outer.add(tmp, arcname=name)
        os.remove(tmp)
        layer_names.append(name)
        diff_ids.append("sha256:" + hashlib.sha256(name.encode()).hexdigest())
        history.append({"created_by": f"COPY layer{l} /srv/layer{l}/ # bench"})
        print(f"  layer {l + 1}/{layers} written ({time.time() - t0:.0f} s)", file=sys.stderr)
    config = json.dumps({"architecture": "amd64", "os": "linux", "config": {},
                         "rootfs": {"type": "layers", "diff_ids": diff_ids}, "history": history}).encode()
    cfg = hashlib.sha256(config).hexdigest() + ".json"
    for n, data in ((cfg, config), ("manifest.json", json.dumps([{"Config": cfg, "RepoTags": ["bench:latest"], "Layers": layer_names}]).encode())):
        info = tarfile.TarInfo(n)
        info.size = len(data)
        outer.addfile(info, io.BytesIO(data))
