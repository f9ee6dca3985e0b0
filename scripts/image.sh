#!/usr/bin/env bash
# make image: builds the Dockerfile from the jar `make build` made (JAR=host), with podman or docker,
# whichever can run here (scripts/container-engine.sh; one line says which and why).
#
#   bash scripts/image.sh [TAG]
#
# Environment: RUNTIME_BASE (the Dockerfile's default, distroless Java 25, when unset; `debian`: a
# base made from Debian packages by scripts/debian-base.sh, pulling nothing from a registry).
# The default tag is the chart's appVersion (= the pom's version).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
log() { echo "image: $*" >&2; }
version=$(sed -n 's/^appVersion: "\(.*\)"/\1/p' charts/ofn-webhook/Chart.yaml)
tag=${1:-ghcr.io/ofn-webhook/ofn-webhook:$version}
[ -f target/ofn-webhook.jar ] && [ -d target/lib ] || { log "no target/ofn-webhook.jar: run 'make build' first"; exit 2; }

# shellcheck source=scripts/container-engine.sh
source scripts/container-engine.sh
container_engine || { log "$ENGINE_NOTE"; exit 1; }
log "engine: $ENGINE_NOTE"

args=(--build-arg JAR=host)
base=${RUNTIME_BASE:-}
[ "$base" != debian ] || base=$(bash scripts/debian-base.sh)
[ -z "$base" ] || args+=(--build-arg "RUNTIME_BASE=$base")
log "building $tag (runtime base: ${base:-as in the Dockerfile})"
"${ENGINE[@]}" build "${args[@]}" -t "$tag" . >&2
log "built $tag"
