# SPDX-License-Identifier: MIT
# gantry/node:20 — stands in for the official node:20-slim image, which cannot be
# pulled here (no registry). Debian 13's nodejs 20 + npm on the debootstrapped base.
FROM gantry/debian:trixie
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm ca-certificates \
 && rm -rf /var/lib/apt/lists/*
