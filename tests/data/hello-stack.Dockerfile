# SPDX-License-Identifier: MIT
# A hand-written Dockerfile for examples/hello-stack, for tests that need the example's
# image without going through the wizard (e.g. shipping). It uses the images
# scripts/setup makes (gantry/rust:debian has rustc, cross linkers and the crates), so
# it builds offline. Build with the example folder as the context:
#   docker buildx build --load -f tests/data/hello-stack.Dockerfile examples/hello-stack
ARG RUST_IMAGE=gantry/rust:debian
ARG NODE_IMAGE=gantry/node:20
ARG RUNTIME_IMAGE=scratch

FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS frontend
WORKDIR /src/frontend
COPY frontend/ ./
RUN npm run build

FROM --platform=$BUILDPLATFORM ${RUST_IMAGE} AS backend
ARG TARGETARCH
RUN mkdir -p /root/.cargo && printf '[source.crates-io]\nreplace-with = "debian"\n[source.debian]\ndirectory = "/usr/share/cargo/registry"\n[net]\noffline = true\n' > /root/.cargo/config.toml
WORKDIR /src/backend
COPY backend/ ./
RUN case "$TARGETARCH" in \
      amd64) triple=x86_64-unknown-linux-gnu; cc=x86_64-linux-gnu-gcc ;; \
      arm64) triple=aarch64-unknown-linux-gnu; cc=aarch64-linux-gnu-gcc ;; \
    esac; \
    command -v $cc >/dev/null || cc=gcc; \
    export CARGO_TARGET_$(echo $triple | tr a-z- A-Z_)_LINKER=$cc RUSTFLAGS="-C target-feature=+crt-static"; \
    cargo build --release --target $triple && cp target/$triple/release/hello-backend /hello-backend

FROM ${RUNTIME_IMAGE}
COPY --from=backend /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=backend /hello-backend /app/hello-backend
COPY --from=frontend /src/frontend/dist/ /app/public/
EXPOSE 3000
ENV PORT=3000
USER 65532:65532
ENTRYPOINT ["/app/hello-backend"]
