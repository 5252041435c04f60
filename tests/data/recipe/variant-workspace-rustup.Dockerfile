# Written by Gantry from gantry.toml (edit that, then rewrite this file with
# `gantry init` or the Configure page). Build context: the repository root.
# Platforms: linux/amd64, linux/arm64; strategy: cross-compile; toolchain: rustup; runtime: scratch.
ARG RUST_IMAGE=rust:1-slim
ARG NODE_IMAGE=node:20-slim
ARG RUNTIME_IMAGE=scratch

# Frontend: its built files are the same for every architecture, so this stage always
# runs on the build machine's own platform and is built once, never under emulation.
FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS frontend
WORKDIR /src/web
# Dependencies first: this layer stays cached until package.json or the lockfile change.
COPY web/package.json web/package-lock.json* ./
RUN --mount=type=cache,target=/root/.npm \
    if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
COPY web/ ./
RUN npm run build

# Backend: compiled on the build machine's own platform ($BUILDPLATFORM) for the target's
# triple, so no compiler runs under QEMU; only the finished binary is per-architecture.
FROM --platform=$BUILDPLATFORM ${RUST_IMAGE} AS backend
ARG TARGETARCH
# The musl target makes a fully static binary; rust-lld links it without a C cross compiler.
RUN case "$TARGETARCH" in \
      amd64) rustup target add x86_64-unknown-linux-musl ;; \
      arm64) rustup target add aarch64-unknown-linux-musl ;; \
    esac
WORKDIR /src
# The Cargo workspace's manifests and lockfile first: the layers below stay cached until
# one of them changes. Empty stand-ins for the targets of members the binary does not
# need let cargo read the whole workspace without their sources.
COPY Cargo.toml Cargo.lock* ./
COPY .cargo/config.toml .cargo/
COPY crates/greeting/Cargo.toml crates/greeting/
COPY crates/server/Cargo.toml crates/server/
COPY crates/tools/Cargo.toml crates/tools/
RUN mkdir -p crates/tools/src \
 && touch crates/tools/src/main.rs
RUN --mount=type=cache,target=/usr/local/cargo/registry cargo fetch --manifest-path Cargo.toml
# Then the sources of the crates the binary is built from.
COPY crates/server/ crates/server/
COPY crates/greeting/ crates/greeting/
WORKDIR /src
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/cargo-target \
    case "$TARGETARCH" in \
      amd64) triple=x86_64-unknown-linux-musl; linker=rust-lld ;; \
      arm64) triple=aarch64-unknown-linux-musl; linker=rust-lld ;; \
      *) echo "Gantry's Dockerfile builds for amd64 and arm64, not $TARGETARCH." >&2; exit 1 ;; \
    esac; \
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
COPY --link --from=frontend /src/web/site/ /app/public/
COPY --link --from=backend /out/ /app/
ENV PORT=3000 \
    STATIC_DIR="/app/public" \
    RUST_LOG="info"
EXPOSE 3000
USER 65532:65532
ENTRYPOINT ["/app/stack-api"]
