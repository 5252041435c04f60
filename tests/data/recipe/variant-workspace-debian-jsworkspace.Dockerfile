# Written by Gantry from gantry.toml (edit that, then rewrite this file with
# `gantry init` or the Configure page). Build context: the repository root.
# Platforms: linux/amd64, linux/arm64; strategy: cross-compile; toolchain: debian; runtime: scratch.
ARG RUST_IMAGE=debian:trixie
ARG NODE_IMAGE=node:20-slim
ARG RUNTIME_IMAGE=scratch

# Frontend: its built files are the same for every architecture, so this stage always
# runs on the build machine's own platform and is built once, never under emulation.
FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS frontend
# The frontend is a package of the JS workspace in .: dependencies install at its root,
# where the lockfile is.
WORKDIR /src
COPY . ./
RUN --mount=type=cache,target=/root/.local/share/pnpm/store \
    corepack enable && pnpm install --frozen-lockfile
WORKDIR /src/apps/web
RUN pnpm run build

# Backend: compiled on the build machine's own platform ($BUILDPLATFORM) for the target's
# triple, so no compiler runs under QEMU; only the finished binary is per-architecture.
FROM --platform=$BUILDPLATFORM ${RUST_IMAGE} AS backend
ARG BUILDARCH
ARG TARGETARCH
# Debian's rustc and cargo, the C toolchain that links the static binary, the cross linker and
# the target's Rust standard library (multiarch), and the crates as Debian packages (librust-*-dev).
RUN if [ "$TARGETARCH" != "$BUILDARCH" ]; then \
      dpkg --add-architecture "$TARGETARCH"; \
      case "$TARGETARCH" in \
        amd64) cross="gcc-x86-64-linux-gnu libc6-dev-amd64-cross" ;; \
        arm64) cross="gcc-aarch64-linux-gnu libc6-dev-arm64-cross" ;; \
      esac; \
      cross="$cross libstd-rust-dev:$TARGETARCH"; \
    fi; \
    apt-get update && apt-get install -y --no-install-recommends \
      rustc cargo gcc libc6-dev ca-certificates $cross \
      librust-axum-dev librust-tokio-dev 'librust-tokio+macros-dev' librust-serde-json-dev \
 && rm -rf /var/lib/apt/lists/*
# Crates come from Debian's packaged sources, so the build needs no network.
RUN mkdir -p /root/.cargo && printf '[source.crates-io]\nreplace-with = "debian"\n[source.debian]\ndirectory = "/usr/share/cargo/registry"\n[net]\noffline = true\n' > /root/.cargo/config.toml
WORKDIR /src
# The Cargo workspace's manifests and lockfile first: the layers below stay cached until
# one of them changes. Empty stand-ins for the targets of members the binary does not
# need let cargo read the whole workspace without their sources.
COPY rust/Cargo.toml rust/Cargo.lock* rust/
COPY rust/crates/greeting/Cargo.toml rust/crates/greeting/
COPY rust/crates/server/Cargo.toml rust/crates/server/
COPY rust/crates/tools/Cargo.toml rust/crates/tools/
RUN mkdir -p rust/crates/tools/src rust/crates/tools/src/bin \
 && touch rust/crates/tools/src/lib.rs rust/crates/tools/src/bin/x.rs
# Then the sources of the crates the binary is built from.
COPY rust/crates/server/ rust/crates/server/
COPY rust/crates/greeting/ rust/crates/greeting/
WORKDIR /src/rust
RUN --mount=type=cache,target=/cargo-target \
    case "$TARGETARCH" in \
      amd64) triple=x86_64-unknown-linux-gnu; linker=x86_64-linux-gnu-gcc ;; \
      arm64) triple=aarch64-unknown-linux-gnu; linker=aarch64-linux-gnu-gcc ;; \
      *) echo "Gantry's Dockerfile builds for amd64 and arm64, not $TARGETARCH." >&2; exit 1 ;; \
    esac; \
    command -v "$linker" >/dev/null || linker=gcc; \
    export CARGO_TARGET_DIR=/cargo-target \
      CARGO_TARGET_$(echo "$triple" | tr a-z- A-Z_)_LINKER="$linker" \
      RUSTFLAGS="-C target-feature=+crt-static"; \
    cargo build --release --target "$triple" -p stack-server --bin stack-api \
 && mkdir -p /out && cp "/cargo-target/$triple/release/stack-api" /out/

# The image itself: the static binary, the frontend's files and a CA bundle. It has no RUN,
# so it needs no shell and no emulation for any platform.
# Layers from what changes least to what changes most; each COPY --link is made apart from
# the layers below it, and the binary comes as the contents of /out/ so that /app/ carries
# /out's time: a backend-only change alters only the binary's layer, a frontend-only change
# only the frontend's, and a redeploy sends just that.
FROM ${RUNTIME_IMAGE}
COPY --link --from=backend /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --link --from=frontend /src/apps/web/site/ /app/public/
COPY --link --from=backend /out/ /app/
ENV PORT=3000 \
    STATIC_DIR="/app/public" \
    RUST_LOG="info"
EXPOSE 3000
USER 65532:65532
ENTRYPOINT ["/app/stack-api"]
