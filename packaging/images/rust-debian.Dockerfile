# SPDX-License-Identifier: MIT
# gantry/rust:debian — the "debian" toolchain flavour's builder, pre-installed so tests
# do not download it on every cold build: Debian 13's rustc/cargo, cross linkers and
# standard libraries for amd64 and arm64 (multiarch), and the crate sources the example
# backend needs (Debian ships crates as librust-*-dev packages; cargo reads them offline).
FROM gantry/debian:trixie
RUN dpkg --add-architecture arm64 && dpkg --add-architecture amd64 \
 && apt-get update && apt-get install -y --no-install-recommends \
      rustc cargo gcc libc6-dev ca-certificates \
      gcc-aarch64-linux-gnu libc6-dev-arm64-cross libstd-rust-dev:arm64 \
      librust-axum-dev librust-tokio-dev librust-tower-http-dev librust-serde-dev librust-serde-json-dev \
      'librust-tokio+rt-multi-thread-dev' 'librust-tokio+macros-dev' 'librust-tokio+net-dev' \
      'librust-tokio+signal-dev' 'librust-tower-http+fs-dev' 'librust-serde+derive-dev' \
 && rm -rf /var/lib/apt/lists/*
