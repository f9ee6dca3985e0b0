#!/usr/bin/env bash
# The e2e image stage (`make e2e`): the Dockerfile built and run, not just the jar.
#
#   bash test/e2e/image.sh
#
# 1. picks a container engine (scripts/container-engine.sh: one line says which and why; with none,
#    says why and exits 0: SKIPPED);
# 2. builds the image from the host's jar with a runtime base made from Debian packages
#    (scripts/debian-base.sh: mmdebstrap + `import`, cached under ~/.cache/ofn-webhook-image;
#    nothing is pulled from an image registry), the AOT training running inside that build;
# 3. runs test/e2e/run.sh with the server in that image instead of ./webhook: as uid 65532, read-only
#    root file system (an empty /tmp, as the chart's emptyDir), all capabilities dropped, no new
#    privileges, on the host network; registered by URL with the e2e API server, every admission
#    check of run.sh against it.
# Environment: OFN_E2E_IMAGE_INSTALL (run.sh's OFN_E2E_INSTALL for this stage, default
# beside-openfunction: the admission checks without the controller's, which the ./webhook stage runs).
#
# `image.sh container serve ARGS...` is what run.sh starts as the server (OFN_E2E_SERVER_CMD): `webhook ARGS`
# in the container, the kubeconfig and certificate directory mounted in.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
log() { printf '[e2e-image %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
# shellcheck source=scripts/container-engine.sh
source scripts/container-engine.sh

serve_in_container() { # webhook ARGS in the container
  container_engine >/dev/null || { echo "e2e-image: $ENGINE_NOTE" >&2; exit 1; }
  local args=() kubeconfig="" certs="" mounts=()
  while (($#)); do
    case $1 in
      --kubeconfig) kubeconfig=$2; shift 2 ;;
      --cert-dir|--certs-dir) certs=$2; shift 2 ;;
      *) args+=("$1"); shift ;;
    esac
  done
  local dir=${certs%/*}/container
  mkdir -p "$dir"
  if [[ -n $kubeconfig ]]; then
    # Self-contained (the CA inline, not a path into the host's state dir), readable by uid 65532.
    command kubectl config view --kubeconfig "$kubeconfig" --raw --flatten --minify >"$dir/kubeconfig"
    chmod 644 "$dir/kubeconfig"
    mounts+=(-v "$dir/kubeconfig:/etc/ofn-webhook/kubeconfig:ro")
    args+=(--kubeconfig /etc/ofn-webhook/kubeconfig)
  fi
  if [[ -n $certs ]]; then
    mkdir -p "$certs"
    chown 65532:65532 "$certs"
    mounts+=(-v "$certs:/etc/ofn-webhook/certs")
    args+=(--cert-dir /etc/ofn-webhook/certs)
  fi
  # podman's --read-only also mounts tmpfs on /tmp, /var/tmp and /run unless told not to: only /tmp
  # here, as the chart does.
  [[ ${ENGINE[0]} != podman ]] || mounts+=(--read-only-tmpfs=false)
  # exec: run.sh's SERVER_PID is the engine's client, which passes SIGTERM on to the JVM.
  exec "${ENGINE[@]}" run --rm --name "${OFN_E2E_CONTAINER:-ofn-webhook-e2e-$$}" --network host \
    --user 65532:65532 --read-only --tmpfs /tmp:rw,size=64m \
    --cap-drop ALL --security-opt no-new-privileges \
    "${mounts[@]}" "${OFN_E2E_IMAGE:?}" "${args[@]}"
}
if [[ ${1:-} == container ]]; then shift && serve_in_container "$@"; fi

t0=$SECONDS
if ! container_engine; then
  echo "SKIPPED image stage ($ENGINE_NOTE)"
  exit 0
fi
log "engine: $ENGINE_NOTE"
base=$(bash scripts/debian-base.sh) || { echo "FAIL image stage: no Debian base image (scripts/debian-base.sh)"; exit 1; }
t_base=$SECONDS
export OFN_E2E_IMAGE=localhost/ofn-webhook:e2e
old=$("${ENGINE[@]}" image inspect --format '{{.Id}}' "$OFN_E2E_IMAGE" 2>/dev/null || true)
build_log=$(mktemp "${TMPDIR:-/tmp}/ofn-e2e-image-build.XXXXXX")
RUNTIME_BASE=$base bash scripts/image.sh "$OFN_E2E_IMAGE" </dev/null >"$build_log" 2>&1 || {
  tail -20 "$build_log" >&2
  echo "FAIL image stage: the image did not build (log: $build_log)"
  exit 1
}
rm -f "$build_log"
# The previous run's image, when this build replaced it (its layers stay cached for the next build).
new=$("${ENGINE[@]}" image inspect --format '{{.Id}}' "$OFN_E2E_IMAGE")
[[ -z $old || $old == "$new" ]] || "${ENGINE[@]}" rmi "$old" >/dev/null 2>&1 || true
t_build=$SECONDS
user=$("${ENGINE[@]}" image inspect "$OFN_E2E_IMAGE" --format '{{.Config.User}}')
[[ $user == 65532:65532 ]] || { echo "FAIL image stage: the image's user is '$user', not 65532:65532"; exit 1; }
echo "PASS image built on a Debian-made base ($base), AOT cache trained in the build; user $user ($((t_base - t0)) s base, $((t_build - t_base)) s build)"

export OFN_E2E_CONTAINER=ofn-webhook-e2e-$$
trap '"${ENGINE[@]}" rm -f "$OFN_E2E_CONTAINER" >/dev/null 2>&1 || true' EXIT
OFN_E2E_INSTALL=${OFN_E2E_IMAGE_INSTALL:-beside-openfunction} \
  OFN_E2E_SERVER_CMD="bash $ROOT/test/e2e/image.sh container" bash test/e2e/run.sh
log "image stage: $((SECONDS - t0)) s"
