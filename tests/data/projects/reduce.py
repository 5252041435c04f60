#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Reduce a public repository (a git directory, e.g. a `fetch` mirror) to what Gantry's
scanner reads, as a fixture under tests/data/projects/<name>/:

- every Cargo.toml, .cargo/config(.toml), rust-toolchain(.toml), package.json,
  pnpm-workspace.yaml, .yarnrc.yml, .nvmrc, .node-version and frontend tool config
  (vite, svelte, next, nuxt, angular, webpack, rsbuild, parcel, ember, astro), verbatim;
- JS lockfiles cut to their header (the scanner only needs which one is there and its kind);
- Cargo.lock trimmed to the repository's own crates plus every crate on a path to an
  OpenSSL crate or a crate that compiles C (what the TLS audit and the C-compiler check
  read); dependency lists keep only kept crates;
- empty stubs for the files that make Cargo targets: src/main.rs, src/lib.rs,
  src/bin/*.rs, src/bin/*/main.rs, build.rs and every `path =` of [lib]/[[bin]].

Usage: reduce.py GIT_DIR COMMIT OUT_DIR REPO_URL
"""
import json, os, re, subprocess, sys, tomllib

git_dir, commit, out, url = sys.argv[1:5]

def git(*args):
    return subprocess.run(["git", "-C", git_dir, *args], check=True, capture_output=True).stdout

files = git("ls-tree", "-r", "--name-only", commit).decode().splitlines()
files = [f for f in files if "node_modules/" not in f]
fileset = set(files)

VERBATIM = re.compile(r"(^|/)(Cargo\.toml|rust-toolchain(\.toml)?|package\.json|pnpm-workspace\.yaml|\.yarnrc\.yml|"
                      r"\.nvmrc|\.node-version|angular\.json|\.parcelrc|ember-cli-build\.js|"
                      r"(vite|svelte|next|nuxt|webpack|rsbuild|rspack|astro|vue)\.config\.[a-z]+)$")
CARGO_CONFIG = re.compile(r"(^|/)\.cargo/config(\.toml)?$")
JS_LOCKS = ("package-lock.json", "pnpm-lock.yaml", "yarn.lock", "bun.lock", "bun.lockb", "npm-shrinkwrap.json")

def write(rel, data):
    p = os.path.join(out, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(data)

def stub(rel):
    if not os.path.exists(os.path.join(out, rel)):
        write(rel, b"")

OPENSSL = {"openssl-sys", "openssl", "native-tls", "openssl-src"}
C_CRATES = {"cc", "ring", "openssl-sys", "libsqlite3-sys", "aws-lc-sys"}

def trim_lock(data):
    lock = tomllib.loads(data.decode())
    pkgs = lock.get("package", [])
    byname = {}
    for p in pkgs:
        byname.setdefault(p["name"], []).append(p)
    deps = {p["name"]: set() for p in pkgs}
    for p in pkgs:
        for d in p.get("dependencies", []):
            deps[p["name"]].add(d.split(" ")[0])
    # crates that reach an OpenSSL crate
    reach = set(OPENSSL & deps.keys())
    changed = True
    while changed:
        changed = False
        for n, ds in deps.items():
            if n not in reach and ds & reach:
                reach.add(n); changed = True
    keep = reach | (C_CRATES & deps.keys()) | {p["name"] for p in pkgs if "source" not in p}
    lines = ["# Trimmed by tests/data/projects/reduce.py: the repository's own crates and the crates on",
             "# paths to OpenSSL or to C compilers; dependency lists keep only kept crates.",
             f"version = {lock.get('version', 3)}", ""]
    for p in pkgs:
        if p["name"] not in keep:
            continue
        lines.append("[[package]]")
        lines.append(f'name = "{p["name"]}"')
        lines.append(f'version = "{p["version"]}"')
        if "source" in p:
            lines.append(f'source = "{p["source"]}"')
        ds = [d for d in p.get("dependencies", []) if d.split(" ")[0] in keep]
        if ds:
            lines.append("dependencies = [")
            lines += [f' "{d}",' for d in ds]
            lines.append("]")
        lines.append("")
    return "\n".join(lines).encode()

def js_lock_head(name, data):
    text = data.decode(errors="replace")
    if name in ("package-lock.json", "npm-shrinkwrap.json"):
        try:
            j = json.loads(text)
            return (json.dumps({"name": j.get("name", ""), "lockfileVersion": j.get("lockfileVersion", 1),
                                "note": "trimmed by reduce.py"}, indent=2) + "\n").encode()
        except Exception:
            return b"{}\n"
    if name == "bun.lockb":
        return b"trimmed by reduce.py\n"
    head = [l for l in text.splitlines()[:6]]
    return ("\n".join(head) + "\n# trimmed by reduce.py\n").encode()

crate_dirs = []
for f in files:
    base = os.path.basename(f)
    if VERBATIM.search(f) or CARGO_CONFIG.search(f):
        data = git("show", f"{commit}:{f}")
        write(f, data)
        if base == "Cargo.toml":
            crate_dirs.append((os.path.dirname(f), data))
        if base == "package.json":
            try:
                build = json.loads(data).get("scripts", {}).get("build", "")
            except Exception:
                build = ""
            for m in re.finditer(r"\bnode\s+([\w./-]+\.[cm]?[jt]s)", build):
                src = os.path.normpath(os.path.join(os.path.dirname(f), m.group(1)))
                if src in fileset:
                    write(src, git("show", f"{commit}:{src}"))
    elif base == "Cargo.lock":
        try:
            write(f, trim_lock(git("show", f"{commit}:{f}")))
        except Exception as e:
            print("cannot trim", f, e, file=sys.stderr)
    elif base in JS_LOCKS:
        write(f, js_lock_head(base, git("show", f"{commit}:{f}")))

for d, data in crate_dirs:
    pre = (d + "/") if d else ""
    for f in files:
        if not f.startswith(pre):
            continue
        rel = f[len(pre):]
        if rel in ("src/main.rs", "src/lib.rs", "build.rs") or re.fullmatch(r"src/bin/[^/]+\.rs", rel) \
                or re.fullmatch(r"src/bin/[^/]+/main\.rs", rel):
            stub(f)
    try:
        t = tomllib.loads(data.decode())
    except Exception:
        continue
    targets = [t.get("lib", {})] + list(t.get("bin", [])) if isinstance(t.get("bin", []), list) else []
    for tg in targets:
        if isinstance(tg, dict) and isinstance(tg.get("path"), str):
            p = os.path.normpath(pre + tg["path"])
            if p in fileset:
                stub(p)
    b = t.get("package", {}).get("build")
    if isinstance(b, str) and os.path.normpath(pre + b) in fileset:
        stub(os.path.normpath(pre + b))

write("SOURCE", f"{url} {commit}\n".encode())
