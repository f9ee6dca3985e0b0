#!/usr/bin/env bash
# Sourced by scripts/image.sh and test/e2e/image.sh: container_engine picks what can build and run
# images here and sets
#   ENGINE       the command, as an array (podman with its global flags, or docker)
#   ENGINE_NOTE  one line: which engine and why (or, when it returns 1, why none can be used)
# Order: a Docker daemon that answers; else podman (installed with apt-get, with runc, when missing
# and we are root), which on these sandboxed machines needs the runc runtime, cgroupfs as the
# cgroup manager and no default ulimits (its default ulimits cannot be set in here) — a
# containers.conf under ~/.cache/ofn-webhook-image says so (CONTAINERS_CONF, nothing under /etc
# changes). CONTAINER_ENGINE=podman|docker forces one.

container_engine() {
  ENGINE=() ENGINE_NOTE=""
  local why_not_docker="" why_not_podman="" out
  if [[ ${CONTAINER_ENGINE:-docker} == docker ]] && command -v docker >/dev/null; then
    if out=$(timeout 20 docker info --format '{{.ServerVersion}}' 2>&1); then
      ENGINE=(docker)
      ENGINE_NOTE="docker (engine $out answers)"
      return 0
    fi
    why_not_docker="docker: $(grep -m1 -i -E 'cannot|error|denied' <<<"$out" || echo "no daemon")"
  else
    why_not_docker="docker: $( [[ ${CONTAINER_ENGINE:-} == podman ]] && echo "not asked for" || echo "not installed")"
  fi
  [[ ${CONTAINER_ENGINE:-podman} == podman ]] || { ENGINE_NOTE="no container engine: $why_not_docker"; return 1; }
  if ! command -v podman >/dev/null || ! command -v runc >/dev/null; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
      echo "container-engine: installing podman and runc (Debian packages)" >&2
      { DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman runc ||
        { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman runc; }; } >&2 ||
        why_not_podman="podman: apt-get install podman runc failed"
    else
      why_not_podman="podman: not installed (and not root with apt-get to install it)"
    fi
  fi
  if [[ -z $why_not_podman ]]; then
    local conf_dir=${OFN_IMAGE_CACHE:-$HOME/.cache/ofn-webhook-image}
    mkdir -p "$conf_dir"
    export CONTAINERS_CONF=$conf_dir/containers.conf
    cat >"$CONTAINERS_CONF" <<'EOF'
# Written by scripts/container-engine.sh: what podman needs in this sandbox.
[containers]
default_ulimits = []
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
EOF
    ENGINE=(podman --runtime runc --cgroup-manager cgroupfs)
    if out=$(timeout 60 "${ENGINE[@]}" info --format '{{.Version.Version}}' 2>&1); then
      ENGINE_NOTE="podman $out with runc, cgroupfs and no default ulimits ($why_not_docker)"
      return 0
    fi
    why_not_podman="podman: $(tail -1 <<<"$out")"
  fi
  ENGINE=()
  ENGINE_NOTE="no container engine: $why_not_docker; $why_not_podman"
  return 1
}
