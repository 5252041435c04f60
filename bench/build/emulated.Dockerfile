# SPDX-License-Identifier: MIT
# The seed's approach, for bench/build/run-bench only: the backend stage runs on the
# TARGET platform, so with --platform linux/arm64 on an amd64 machine every compiler
# process runs under QEMU. ARM64_RUST_IMAGE is an arm64 Debian with rustc/cargo and the
# example's crates (run-bench makes it; see there).
ARG NODE_IMAGE=gantry/node:20
ARG ARM64_RUST_IMAGE=gantry/bench-rust:debian-arm64

FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS frontend
WORKDIR /src/frontend
COPY frontend/ ./
RUN npm run build

FROM ${ARM64_RUST_IMAGE} AS backend
RUN mkdir -p /root/.cargo && printf '[source.crates-io]\nreplace-with = "debian"\n[source.debian]\ndirectory = "/usr/share/cargo/registry"\n[net]\noffline = true\n' > /root/.cargo/config.toml
WORKDIR /src/backend
COPY backend/ ./
# --target (the machine's own triple) keeps +crt-static off the proc-macros, which must be
# dynamic libraries ("cannot produce proc-macro ... does not support these crate types").
RUN RUSTFLAGS="-C target-feature=+crt-static" cargo build --release --target aarch64-unknown-linux-gnu \
 && cp target/aarch64-unknown-linux-gnu/release/hello-backend /hello-backend

FROM scratch
COPY --from=backend /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=backend /hello-backend /app/hello-backend
COPY --from=frontend /src/frontend/dist/ /app/public/
EXPOSE 3000
ENV PORT=3000
USER 65532:65532
ENTRYPOINT ["/app/hello-backend"]
