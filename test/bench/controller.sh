#!/usr/bin/env bash
# The controller section of `make bench` (alone: `make bench-controller`): how fast our controller
# writes the routes of Functions that OpenFunction has just made Running, against how fast kubectl
# writes the same objects, and the server's resident memory with 500 and 1,500 Functions cached.
# docs/benchmarks.md ("The controller") says what the figures mean and holds the last run's.
#
#   1. the control plane of `make e2e` (test/e2e/control-plane.sh: etcd + kube-apiserver 1.20 on
#      127.0.0.1; started here, stopped at exit), the project's CRDs and the Knative Service stub, the
#      default OFN Gateway openfunction/openfunction and its k8s Gateway;
#   2. our server (`./webhook serve --register-url`, the controller on, leading alone);
#   3. 500 Functions with stand-in Knative Services (test/bench/controller_tool.py prepare; not timed),
#      then each marked Running as OpenFunction does (one status patch each) and the clock runs until
#      every one has its HTTPRoute and status.addresses: controller_converge_ms_500;
#   4. the 1,000 HTTPRoutes and Services it wrote, created again by `kubectl create -f` in a fresh
#      namespace: kubectl_write_ms_500 (what the same writes cost the API server from one client);
#   5. the server's RSS then, and again after 1,000 more Functions went the same way.
#
# Prints "name: value unit" lines; never fails the build on a timing. Skips with one line when no
# control plane can be had. Knobs: BENCH_CONTROLLER=0 (skip), BENCH_CONTROLLER_FUNCTIONS (default
# 500), BENCH_CONTROLLER_MORE (default 1000), BENCH_CONTROLLER_SERVER_ARGS (more `webhook serve`
# arguments), BENCH_CONTROLLER_HISTOGRAM=FILE (the heap's class histogram at 500 Functions, for
# diagnosis), BENCH_KEEP=1 (keep the work dir).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
N=${BENCH_CONTROLLER_FUNCTIONS:-500}
MORE=${BENCH_CONTROLLER_MORE:-1000}
TOOL="python3 $ROOT/test/bench/controller_tool.py"

figure() { echo "$1: $2${3:+ $3}"; }
log() { echo "bench-controller: $*" >&2; }
skip() {
  figure controller "SKIPPED ($1)"
  exit 0
}
[ "${BENCH_CONTROLLER:-1}" != 0 ] || skip "BENCH_CONTROLLER=0"
[ -f target/ofn-webhook.jar ] || { echo "bench-controller: run 'make build' first" >&2; exit 2; }
command -v kubectl >/dev/null || skip "kubectl is not installed"
command -v python3 >/dev/null || skip "python3 is not installed"

unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ofn-bench-controller.XXXXXX")
export OFN_E2E_STATE_DIR=$WORK/cluster OFN_E2E_IGNORE_KUBECONFIG=1
CLUSTER_STARTED=0 SERVER_PID=""
cleanup() {
  set +e
  [ -n "$SERVER_PID" ] && { kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; }
  [ "$CLUSTER_STARTED" = 1 ] && bash test/e2e/control-plane.sh stop >>"$WORK/control-plane.log" 2>&1
  if [ "${BENCH_KEEP:-0}" = 1 ]; then log "logs kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
kc() { command kubectl --request-timeout=60s "$@" 2> >(grep -v 'version difference between client' >&2); }
# shellcheck source=scripts/free-port.sh
source scripts/free-port.sh

log "starting the control plane (test/e2e/control-plane.sh)"
env=$(bash test/e2e/control-plane.sh start 2>"$WORK/control-plane.log") ||
  env=$(bash test/e2e/control-plane.sh start 2>>"$WORK/control-plane.log") ||
  skip "no control plane: $(grep -m1 ERROR "$WORK/control-plane.log" || tail -n1 "$WORK/control-plane.log")"
eval "$env"
[ "${OFN_E2E_MODE:-}" = own ] && CLUSTER_STARTED=1
bash test/e2e/install-crds.sh >"$WORK/install-crds.log" 2>&1 || skip "install-crds.sh failed (see $WORK/install-crds.log)"
NS=ofn-bench-fn COPY=ofn-bench-kubectl
for ns in openfunction ofn-webhook-system projectcontour "$NS" "$COPY"; do
  kc create namespace "$ns" >/dev/null 2>&1 || true
  kc label namespace "$ns" "kubernetes.io/metadata.name=$ns" --overwrite >/dev/null
done
gw_version=$(kc get crd gateways.gateway.networking.k8s.io -o jsonpath='{range .spec.versions[?(@.served==true)]}{.name}{" "}{end}' |
  tr ' ' '\n' | grep -m1 -E '^v1$|^v1beta1$' || true)
sed "s#^apiVersion: gateway.networking.k8s.io/.*#apiVersion: gateway.networking.k8s.io/${gw_version:-v1beta1}#" \
  test/e2e/fixtures/k8s-gateway-contour.yaml | kc apply -f - >/dev/null
kc apply -f test/fixtures/default-gateway.yaml >/dev/null
kc config view --raw --minify -o json >"$WORK/kubeconfig.json"
kc create --dry-run=client -o json -f test/fixtures/function-sample-serving-only.yaml >"$WORK/function.json"

PORT=$(free_port) PROBE=$(free_port)
# shellcheck disable=SC2086
./webhook serve --kubeconfig "$KUBECONFIG" --host 127.0.0.1 --port "$PORT" --probe-port "$PROBE" \
  --register-url "https://127.0.0.1:$PORT" --cert-dir "$WORK/certs" --shutdown-grace 0s \
  --namespace ofn-webhook-system ${BENCH_CONTROLLER_SERVER_ARGS:-} </dev/null >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 3000); do
  curl -sf -o /dev/null "http://127.0.0.1:$PROBE/readyz" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$WORK/server.log" >&2; log "our server died"; exit 1; }
  sleep 0.02
done
leading() { curl -sf "http://127.0.0.1:$PROBE/metrics" | grep -q '^ofn_webhook_leader 1'; }
for _ in $(seq 1 300); do leading && break; sleep 0.1; done
rss_mb() { awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$SERVER_PID/status"; }
load_avg() { cut -d' ' -f1 /proc/loadavg; }

figure controller_functions "$N"
figure controller_workers "$(curl -sf "http://127.0.0.1:$PROBE/metrics" |
  awk '$1 ~ /^controller_runtime_max_concurrent_reconciles\{controller="function"/ { print $2 + 0 }')"
log "creating $N Functions and their Knative Services (not timed)"
$TOOL prepare "$WORK/kubeconfig.json" "$WORK/function.json" "$NS" fn 0 "$N"
sleep 2 # the controller sees Functions without a serving yet: nothing to write, let it settle
figure load_avg_1m "$(load_avg)"
converge=$($TOOL running "$WORK/kubeconfig.json" "$NS" fn 0 "$N" 300) || { tail -20 "$WORK/server.log" >&2; exit 1; }
figure controller_converge_ms_500 "$converge" ms
sleep 2
figure controller_rss_mb_500_functions "$(rss_mb)" MB
# For diagnosis: what the heap holds then (jcmd's class histogram), into that file.
[ -n "${BENCH_CONTROLLER_HISTOGRAM:-}" ] && jcmd "$SERVER_PID" GC.class_histogram >"$BENCH_CONTROLLER_HISTOGRAM" 2>&1
[ -n "${BENCH_CONTROLLER_HISTOGRAM:-}" ] && jcmd "$SERVER_PID" VM.native_memory summary >>"$BENCH_CONTROLLER_HISTOGRAM" 2>&1

objects=$($TOOL copy "$WORK/kubeconfig.json" "$NS" "$COPY" "$WORK/copy.json")
t0=$(date +%s%N)
kc create -f "$WORK/copy.json" >/dev/null
kubectl_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
figure kubectl_write_ms_500 "$kubectl_ms" "ms ($objects objects: the same HTTPRoutes and Services, kubectl create -f)"
figure controller_converge_ratio_vs_kubectl "$(awk -v a="$converge" -v b="$kubectl_ms" 'BEGIN { printf "%.2f", a / b }')"

log "$MORE Functions more"
$TOOL prepare "$WORK/kubeconfig.json" "$WORK/function.json" "$NS" fn "$N" "$MORE"
$TOOL running "$WORK/kubeconfig.json" "$NS" fn "$N" "$MORE" 600 >/dev/null || { tail -20 "$WORK/server.log" >&2; exit 1; }
sleep 2
figure controller_rss_mb_1500_functions "$(rss_mb)" MB
figure controller_errors "$(grep -c -E ' (ERROR|WARN) ' "$WORK/server.log" || true)" "(ERROR/WARN lines in the server log)"
