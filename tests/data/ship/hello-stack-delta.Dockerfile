# SPDX-License-Identifier: MIT
# tests/data/hello-stack.Dockerfile with the final stage ordered for small redeploys: what
# changes least comes first (frontend assets, CA bundle), the backend binary last, and the CA
# bundle from a stage that does not depend on the backend's sources. A one-line change of the
# backend then changes only the top layer (BuildKit gives the parent folders it creates the
# build time, so any layer rebuilt after a changed stage differs even when its files do not).
# The backend stage is the same text as in hello-stack.Dockerfile, so the build cache is shared.
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

FROM --platform=$BUILDPLATFORM ${RUST_IMAGE} AS certs

FROM ${RUNTIME_IMAGE}
COPY --from=frontend /src/frontend/dist/ /app/public/
COPY --from=certs /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=backend /hello-backend /app/hello-backend
EXPOSE 3000
ENV PORT=3000
USER 65532:65532
ENTRYPOINT ["/app/hello-backend"]
