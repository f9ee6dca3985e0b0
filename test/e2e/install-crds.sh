#!/usr/bin/env bash
# Install the project's CRDs (manifests/crds, rendered for 1.20 by render-crds.sh) and
# the Knative Service stub (not with OFN_E2E_LATE_KNATIVE=1) into the cluster of KUBECONFIG, and wait until all are
# Established.
#
#   test/e2e/install-crds.sh [CRD_SRC_DIR]     (default: manifests/crds)
#
# Server-side apply: idempotent, and the Function CRD (1.2 MB) is too large for
# client-side apply's last-applied-configuration annotation (256 KiB).
# `kubectl wait --for=condition=Established` fails at once ("accessor error: <nil>")
# when it looks at a CRD the apiserver has not given a status yet: retried.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SRC=${1:-$ROOT/manifests/crds}
: "${KUBECONFIG:?set KUBECONFIG (eval \"\$(test/e2e/control-plane.sh env)\")}"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

bash "$ROOT/test/e2e/render-crds.sh" "$SRC" "$OUT" >&2
# OFN_E2E_LATE_KNATIVE=1: without the Knative stub (run.sh installs it while the server runs)
[[ ${OFN_E2E_LATE_KNATIVE:-0} == 1 ]] || cp "$ROOT/test/e2e/knative-service-crd.yaml" "$OUT/"
kubectl apply --server-side --force-conflicts -f "$OUT" 2> >(grep -v 'version difference between client' >&2)

mapfile -t names < <(kubectl get -f "$OUT" -o name 2>/dev/null)
deadline=$((SECONDS + ${CRD_WAIT_TIMEOUT:-120}))
until kubectl wait --for=condition=Established --timeout=10s "${names[@]}" >/dev/null 2>&1; do
  if ((SECONDS >= deadline)); then
    kubectl wait --for=condition=Established --timeout=1s "${names[@]}" >&2 || true
    echo "install-crds: CRDs not Established after ${CRD_WAIT_TIMEOUT:-120}s" >&2
    exit 1
  fi
  sleep 1
done
echo "install-crds: Established: ${names[*]#*/}" >&2
