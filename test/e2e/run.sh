#!/usr/bin/env bash
# End-to-end test of the webhook server against a real kube-apiserver (`make e2e`).
#
#   bash test/e2e/run.sh
#
# 1. starts a throw-away control plane (test/e2e/control-plane.sh: etcd, kube-apiserver and
#    kube-controller-manager v1.20.2 on 127.0.0.1, state in a temp dir) and installs the CRDs
#    (manifests/crds rendered for 1.20, plus a Knative Service stub);
# 2. applies the RBAC of the shipped manifests (manifests/ rendered with kustomize, for the mode
#    of OFN_E2E_INSTALL) and runs the server as that ServiceAccount, with its token: a verb the
#    server needs and the manifests lack fails the checks;
# 3. starts `./webhook serve --register-url https://127.0.0.1:<port>` (its own certificates in
#    a temp dir; it registers our Mutating/ValidatingWebhookConfiguration by URL) and waits
#    for /readyz;
# 4. drives it with kubectl and prints one line per check: `PASS <name>`,
#    `FAIL <name>: <why>` or `SKIPPED <name> (<why>)`;
# 5. prints `e2e: N passed, M failed, K skipped` and exits 1 when M > 0.
# Whatever happens, the exit trap stops our server, unregisters the webhook configurations and
# stops the control plane it started. On failure the server log is printed and all logs are
# kept (the path is printed).
#
# Environment:
#   E2E_OPTIONAL=1            no cluster can be had (no binaries and no way to build them, no
#                             kubectl): say why and exit 0 instead of failing
#   OFN_E2E_CONTROLLER=auto   controller checks (HTTPRoute, Service, status): 1 = run them,
#                             0 = skip them, auto (default) = run them when the jar holds the
#                             controller (dev/ofn/webhook/controller/FunctionReconciler.class),
#                             else only when an HTTPRoute shows up within 30 s anyway
#   OFN_E2E_INSTALL=controller  which install to run as: controller (manifests/, our controller
#                             writes the routes) or beside-openfunction (manifests/ with that
#                             component: --controller=false and its smaller RBAC; the controller
#                             checks are skipped)
#   OFN_E2E_USE_KUBECONFIG=1  use the cluster of $KUBECONFIG instead of starting one (it must be a
#                             throw-away cluster: namespaces, CRDs and webhooks are created)
#   OFN_E2E_KEEP_WORK=1       keep the temp dir (server log, certificates, cluster logs) on success
#   OFN_E2E_SERVER_ARGS       extra arguments for `webhook serve`
#   OFN_E2E_SERVER_CMD        what runs `serve ...` for the checks instead of ./webhook (the image
#                             stage, test/e2e/image.sh: the image in a container); words split
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
E2E=$ROOT/test/e2e
FX=$E2E/fixtures
JAR=$ROOT/target/ofn-webhook.jar
T0=$SECONDS

# Everything we talk to is on 127.0.0.1.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ofn-e2e-run.XXXXXX")
SERVER_LOG=$WORK/server.log
KUBECTL_ERR=$WORK/kubectl-stderr.log
# A control plane of our own, never the developer's (nor another run's) default one.
export OFN_E2E_STATE_DIR=$WORK/cluster
if [[ ${OFN_E2E_USE_KUBECONFIG:-0} != 1 ]]; then
  export OFN_E2E_IGNORE_KUBECONFIG=1
fi

PASSED=0 FAILED=0 SKIPPED=0
WHY="" OUT=""
CLUSTER_STARTED=0 SERVER_PID="" REGISTERED=0

log() { printf '[e2e %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---------------------------------------------------------------------------------------------
# Clean-up
# ---------------------------------------------------------------------------------------------

stop_server() {
  [[ -n $SERVER_PID ]] || return 0
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    local i
    for ((i = 0; i < 150; i++)); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
      log "server (pid $SERVER_PID) ignored SIGTERM for 30 s: SIGKILL"
      kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  stop_server
  if [[ $REGISTERED == 1 ]]; then
    "$ROOT/webhook" unregister --kubeconfig "$KUBECONFIG" >>"$WORK/unregister.log" 2>&1 ||
      log "webhook unregister failed (log: $WORK/unregister.log)"
  fi
  local keep=0
  ((FAILED > 0 || rc != 0)) && keep=1
  [[ ${OFN_E2E_KEEP_WORK:-0} == 1 ]] && keep=1
  if [[ $CLUSTER_STARTED == 1 ]]; then
    ((keep)) && export OFN_E2E_LOGS_DIR=$WORK/control-plane-logs
    bash "$E2E/control-plane.sh" stop >>"$WORK/control-plane.log" 2>&1 ||
      log "control-plane.sh stop failed (log: $WORK/control-plane.log)"
  fi
  if ((keep)); then
    log "logs kept in $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

kubectl() { command kubectl --request-timeout=60s "$@"; }

# Runs kubectl; its stdout+stderr (without the client/server version-skew warning) in $OUT.
kc() {
  local rc=0
  OUT=$(kubectl "$@" 2>&1) || rc=$?
  OUT=$(grep -v 'version difference between client' <<<"$OUT" || true)
  return "$rc"
}

# kubectl get with clean stdout (stderr to a log).
kget() { kubectl get "$@" 2>>"$KUBECTL_ERR"; }

# JSON on stdin, a Python expression over it (`d`) as $1: prints the result (strings bare,
# everything else as compact JSON; a missing key or index gives `null`).
pyj() {
  python3 -c '
import json, sys
try:
    d = json.load(sys.stdin)
except ValueError:
    print("null (not JSON)")
    sys.exit(1)
try:
    r = eval(sys.argv[1], {"d": d, "json": json})
except (KeyError, IndexError, TypeError, AttributeError):
    r = None
print(r if isinstance(r, str) else json.dumps(r, separators=(",", ":")))' "$1"
}

# The fields of one object: kobj KIND NAME [kubectl args] EXPR
kobj() {
  local expr=${*: -1}
  kget "${@:1:$#-1}" -o json | pyj "$expr"
}

# Polls until the command succeeds: wait_until SECONDS command...
wait_until() {
  local timeout=$1
  shift
  local deadline=$((SECONDS + timeout))
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 1
  done
}

not_found() { # kind name [args]: kubectl get fails with NotFound
  local out
  ! out=$(kubectl get "$@" 2>&1) && [[ $out == *NotFound* ]]
}

# The fixture with its apiVersion replaced: fixture FILE APIVERSION
with_version() { sed -e "s#^apiVersion: gateway.networking.k8s.io/.*#apiVersion: gateway.networking.k8s.io/$2#" "$1"; }

check() { # name function [args]: one PASS/FAIL line
  local name=$1
  shift
  WHY=""
  if "$@"; then
    echo "PASS $name"
    PASSED=$((PASSED + 1))
  else
    echo "FAIL $name: ${WHY:-failed}"
    FAILED=$((FAILED + 1))
  fi
}

# Checks of generated routes written into Functions: only with our controller (beside
# OpenFunction, --persist-generated-route is false and OpenFunction renders the routes itself).
persisting_check() { # name function [args]
  if [[ $INSTALL == beside-openfunction ]]; then
    skip "$1" "beside-openfunction: generated routes are not written into Functions"
  else
    check "$@"
  fi
}

# Beside OpenFunction: the Function is stored with its route as written, and we write no HTTPRoute.
check_beside_writes_nothing() {
  local f got
  for f in "$ROOT"/test/fixtures/function-*.yaml "$ROOT"/test/fixtures/wasmedge-http-server.yaml; do
    kc apply -n default -f "$f" || { WHY="apply $(basename "$f"): $(one_line "$OUT")"; return 1; }
  done
  got=$(kobj function "$SAMPLE" -n default 'd["spec"]["serving"]["triggers"]["http"]["route"]')
  [[ $got == '{"gatewayRef":{"name":"openfunction","namespace":"openfunction"}}' ]] ||
    { WHY="stored route $got, want only the gatewayRef"; return 1; }
  sleep 5
  ! httproute_exists || { WHY="an HTTPRoute default/$SAMPLE was written"; return 1; }
}

skip() { # name why
  echo "SKIPPED $1 ($2)"
  SKIPPED=$((SKIPPED + 1))
}

summary() {
  echo "e2e: $PASSED passed, $FAILED failed, $SKIPPED skipped"
  log "took $((SECONDS - T0)) s"
  if ((FAILED > 0)) && [[ -s $SERVER_LOG ]]; then
    echo "---- server log ($SERVER_LOG, last 300 lines) ----"
    tail -n 300 "$SERVER_LOG"
    echo "---- end of server log ----"
  fi
}

# A setup step failed: the remaining checks cannot run.
abort() { # name why
  echo "FAIL $1: $2"
  FAILED=$((FAILED + 1))
  summary
  exit 1
}

one_line() { tr '\n' ' ' <<<"$1" | sed -e 's/  */ /g' -e 's/ $//' | cut -c1-400; }

port_in_use() {
  if command -v ss >/dev/null; then
    [[ -n $(ss -Htan "sport = :$1" 2>/dev/null) ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

free_port() { # excluded ports...
  local p i
  for ((i = 0; i < 200; i++)); do
    p=$((20000 + RANDOM % 10000))
    [[ " $* " == *" $p "* ]] && continue
    port_in_use "$p" || { echo "$p"; return; }
  done
  return 1
}

jar_has_controller() {
  [[ -f $JAR ]] && python3 - "$JAR" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
sys.exit(0 if "dev/ofn/webhook/controller/FunctionReconciler.class" in names else 1)
PY
}

# ---------------------------------------------------------------------------------------------
# Set-up: cluster, CRDs, namespaces, server
# ---------------------------------------------------------------------------------------------

no_cluster() { # why
  if [[ ${E2E_OPTIONAL:-0} == 1 ]]; then
    echo "e2e: SKIPPED: no cluster can be had: $1 (E2E_OPTIONAL=1)"
    exit 0
  fi
  abort "control plane" "$1"
}

start_cluster() {
  command -v kubectl >/dev/null || no_cluster "kubectl is not installed"
  command -v python3 >/dev/null || no_cluster "python3 is not installed (render-crds.sh and these checks need it)"
  log "starting the control plane (state dir $OFN_E2E_STATE_DIR; builds Kubernetes on first use, ~20 min)"
  local env
  if ! env=$(bash "$E2E/control-plane.sh" start 2>"$WORK/control-plane.log"); then
    tail -n 20 "$WORK/control-plane.log" >&2
    no_cluster "control-plane.sh start failed: $(grep -m1 ERROR "$WORK/control-plane.log" || tail -n1 "$WORK/control-plane.log")"
  fi
  eval "$env"
  [[ ${OFN_E2E_MODE:-} == own ]] && CLUSTER_STARTED=1
  kubectl version 2>/dev/null | sed 's/^/e2e: /' || true
  local server
  server=$(kubectl version -o json 2>/dev/null | pyj 'd["serverVersion"]["gitVersion"]' || true)
  echo "PASS control plane up (Kubernetes $server, ${OFN_E2E_MODE} cluster)"
  PASSED=$((PASSED + 1))
}

HTTPROUTE_VERSIONS=() GATEWAY_VERSION=""

install_crds() {
  OFN_E2E_LATE_KNATIVE=1 bash "$E2E/install-crds.sh" >"$WORK/install-crds.log" 2>&1 ||
    abort "CRDs installed" "install-crds.sh failed: $(one_line "$(tail -n 5 "$WORK/install-crds.log")")"
  local served v
  served=$(kget crd httproutes.gateway.networking.k8s.io -o jsonpath='{range .spec.versions[?(@.served==true)]}{.name}{" "}{end}' || true)
  for v in v1 v1beta1 v1alpha2; do
    [[ " $served " == *" $v "* ]] && HTTPROUTE_VERSIONS+=("$v")
  done
  ((${#HTTPROUTE_VERSIONS[@]} > 0)) || abort "CRDs installed" "the HTTPRoute CRD serves none of v1, v1beta1, v1alpha2 (served: $served)"
  served=$(kget crd gateways.gateway.networking.k8s.io -o jsonpath='{range .spec.versions[?(@.served==true)]}{.name}{" "}{end}' || true)
  for v in v1 v1beta1; do
    [[ " $served " == *" $v "* ]] && { GATEWAY_VERSION=$v; break; }
  done
  [[ -n $GATEWAY_VERSION ]] || abort "CRDs installed" "the Gateway CRD serves neither v1 nor v1beta1 (served: $served)"
  echo "PASS CRDs installed (Functions, OFN Gateways, Gateway API: HTTPRoute ${HTTPROUTE_VERSIONS[*]}; the Knative Service stub comes after the server)"
  PASSED=$((PASSED + 1))
}

create_namespaces() {
  local ns
  for ns in openfunction ofn-webhook-system projectcontour ofn-e2e-ssa ofn-e2e-gw; do
    kc create namespace "$ns" || [[ $OUT == *AlreadyExists* ]] || abort "namespaces" "create $ns: $OUT"
  done
  # Kubernetes < 1.21 does not set kubernetes.io/metadata.name, which our webhooks'
  # namespaceSelector (NotIn kube-system, ofn-webhook-system) relies on.
  for ns in openfunction ofn-webhook-system projectcontour ofn-e2e-ssa ofn-e2e-gw default kube-system; do
    kc label namespace "$ns" "kubernetes.io/metadata.name=$ns" --overwrite || abort "namespaces" "label $ns: $OUT"
  done
  # The k8s Gateway the default OFN Gateway refers to (OpenFunction's contour Gateway).
  kc apply -f <(with_version "$FX/k8s-gateway-contour.yaml" "$GATEWAY_VERSION") ||
    abort "namespaces" "k8s Gateway projectcontour/contour: $OUT"
}

INSTALL=${OFN_E2E_INSTALL:-controller}
SA_NS=ofn-webhook-system SA_NAME=ofn-webhook
SA_KUBECONFIG=$WORK/serviceaccount.kubeconfig

# The ServiceAccount, Roles and bindings of the shipped manifests for this mode (kustomize, as a
# user would apply them), and a kubeconfig with that ServiceAccount's token.
install_rbac() {
  local overlay=$WORK/overlay rel
  mkdir -p "$overlay"
  rel=$(python3 -c 'import os, sys; print(os.path.relpath(sys.argv[1], sys.argv[2]))' "$ROOT/manifests" "$overlay")
  case $INSTALL in
    controller) printf 'resources: [%s]\n' "$rel" >"$overlay/kustomization.yaml" ;;
    beside-openfunction)
      printf 'resources: [%s]\ncomponents: [%s/components/beside-openfunction]\n' "$rel" "$rel" >"$overlay/kustomization.yaml" ;;
    *) abort "RBAC" "OFN_E2E_INSTALL=$INSTALL: want controller or beside-openfunction" ;;
  esac
  command kubectl kustomize "$overlay" 2>"$WORK/kustomize.log" | python3 -c '
import sys
docs = sys.stdin.read().split("\n---\n")
keep = ("kind: ServiceAccount", "kind: ClusterRole", "kind: ClusterRoleBinding", "kind: Role", "kind: RoleBinding")
print("\n---\n".join(d for d in docs if any(line in keep for line in d.splitlines())))' >"$WORK/rbac.yaml" ||
    abort "RBAC" "kubectl kustomize: $(one_line "$(cat "$WORK/kustomize.log")")"
  kc apply -f "$WORK/rbac.yaml" || abort "RBAC" "apply: $(one_line "$OUT")"
  # The only grant the shipped manifests lack, by design: --register-url creates our two webhook
  # configurations and deletes them when it stops (an install ships them instead).
  kc create clusterrole ofn-webhook-e2e-register --verb=create,delete \
    --resource=mutatingwebhookconfigurations,validatingwebhookconfigurations || [[ $OUT == *AlreadyExists* ]] ||
    abort "RBAC" "e2e register role: $OUT"
  kc create clusterrolebinding ofn-webhook-e2e-register --clusterrole=ofn-webhook-e2e-register \
    --serviceaccount="$SA_NS:$SA_NAME" || [[ $OUT == *AlreadyExists* ]] || abort "RBAC" "e2e register binding: $OUT"
  # The token the service-account-token controller writes for the ServiceAccount (Kubernetes < 1.24).
  local secret="" token="" deadline=$((SECONDS + 60))
  until [[ -n $token ]]; do
    secret=$(kget serviceaccount "$SA_NAME" -n "$SA_NS" -o jsonpath='{.secrets[0].name}' || true)
    [[ -n $secret ]] && token=$(kget secret "$secret" -n "$SA_NS" -o jsonpath='{.data.token}' | base64 -d || true)
    [[ -n $token ]] && break
    ((SECONDS < deadline)) || abort "RBAC" "no token for ServiceAccount $SA_NS/$SA_NAME after 60 s (is kube-controller-manager running?)"
    sleep 1
  done
  command kubectl config view --raw --minify >"$SA_KUBECONFIG"
  command kubectl --kubeconfig "$SA_KUBECONFIG" config set-credentials "$SA_NAME" --token="$token" >/dev/null
  command kubectl --kubeconfig "$SA_KUBECONFIG" config set-context --current --user="$SA_NAME" >/dev/null
  local who
  who=$(command kubectl --kubeconfig "$SA_KUBECONFIG" auth can-i create secrets -n kube-system 2>/dev/null || true)
  [[ $who == no ]] || abort "RBAC" "the ServiceAccount's kubeconfig may create Secrets in kube-system: not the ServiceAccount"
  echo "PASS RBAC of manifests/ ($INSTALL) applied; the server runs as system:serviceaccount:$SA_NS:$SA_NAME (token)"
  PASSED=$((PASSED + 1))
}

SERVER_PORT="" PROBE_PORT=""

server_ready() {
  kill -0 "$SERVER_PID" 2>/dev/null || return 2
  [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$PROBE_PORT/readyz" 2>/dev/null) == 200 ]]
}

start_server() {
  SERVER_PORT=$(free_port) && PROBE_PORT=$(free_port "$SERVER_PORT") || abort "server ready" "no free port"
  log "starting ${OFN_E2E_SERVER_CMD:-./webhook} serve on https://127.0.0.1:$SERVER_PORT (probes :$PROBE_PORT, log $SERVER_LOG)"
  # shellcheck disable=SC2086
  local mode_args=()
  [[ $INSTALL == beside-openfunction ]] && mode_args=(--controller=false)
  # shellcheck disable=SC2086 # OFN_E2E_SERVER_CMD: a command and its arguments
  ${OFN_E2E_SERVER_CMD:-"$ROOT/webhook"} serve \
    --kubeconfig "$SA_KUBECONFIG" \
    --namespace "$SA_NS" \
    "${mode_args[@]}" \
    --host 127.0.0.1 \
    --port "$SERVER_PORT" \
    --probe-port "$PROBE_PORT" \
    --register-url "https://127.0.0.1:$SERVER_PORT" \
    --keep-registration \
    --cert-dir "$WORK/certs" \
    --shutdown-grace 5s \
    ${OFN_E2E_SERVER_ARGS:-} \
    </dev/null >"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  REGISTERED=1
  local deadline=$((SECONDS + 120)) rc
  while true; do
    rc=0
    server_ready || rc=$?
    ((rc == 0)) && break
    if ((rc == 2)); then
      wait "$SERVER_PID" 2>/dev/null && rc=0 || rc=$?
      SERVER_PID=""
      abort "server ready" "the server exited (status $rc) before /readyz: $(one_line "$(grep -m3 -E 'Exception|Error|ERROR' "$SERVER_LOG")")"
    fi
    ((SECONDS < deadline)) || abort "server ready" "/readyz not 200 after 120 s: $(curl -s "http://127.0.0.1:$PROBE_PORT/readyz")"
    sleep 0.5
  done
  # The registration is asynchronous for the apiserver: wait until a dry run reaches us.
  if ! wait_until 30 registration_effective; then
    abort "server ready" "the apiserver does not call our webhooks 30 s after registration: $(one_line "$OUT")"
  fi
  echo "PASS server ready (pid $SERVER_PID, https://127.0.0.1:$SERVER_PORT, webhook configurations registered by URL)"
  PASSED=$((PASSED + 1))
}

# An OFN Gateway dry run comes back defaulted (internal listener appended) once our mutating
# webhook is called.
registration_effective() {
  kc create --dry-run=server -o json -f - <<'EOF' || return 1
apiVersion: networking.openfunction.io/v1alpha1
kind: Gateway
metadata: {name: registration-probe, namespace: ofn-e2e-gw}
spec:
  domain: probe.example.com
  gatewayRef: {name: nowhere, namespace: ofn-e2e-gw}
  gatewaySpec:
    listeners:
    - {name: http, protocol: HTTP, port: 80}
EOF
  [[ $(pyj '[l["name"] for l in d["spec"]["gatewaySpec"]["listeners"]]' <<<"$OUT" 2>/dev/null) == '["http","ofn-http-internal"]' ]]
}

# ---------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------

OFN_GW=(gateways.networking.openfunction.io -n openfunction openfunction)
SAMPLE=function-sample-serving-only
ROUTE=spec.serving.triggers.http.route

# The default OFN Gateway fixture: internal listener and last-applied annotation.
check_gateway_defaults() {
  kc apply -f "$ROOT/test/fixtures/default-gateway.yaml" || { WHY="apply: $(one_line "$OUT")"; return 1; }
  kc get "${OFN_GW[@]}" -o yaml || { WHY="get: $(one_line "$OUT")"; return 1; }
  [[ $OUT == *"networking.openfunction.io/last-applied-configuration:"* ]] ||
    { WHY="no networking.openfunction.io/last-applied-configuration annotation"; return 1; }
  local json internal last
  json=$(kget "${OFN_GW[@]}" -o json)
  internal=$(pyj '[l for l in d["spec"]["gatewaySpec"]["listeners"] if l["name"] == "ofn-http-internal"]' <<<"$json")
  [[ $internal == '[{"allowedRoutes":{"namespaces":{"from":"All"}},"hostname":"*.cluster.local","name":"ofn-http-internal","port":80,"protocol":"HTTP"}]' ]] ||
    { WHY="ofn-http-internal listener: $internal"; return 1; }
  last=$(pyj 'json.loads(d["metadata"]["annotations"]["networking.openfunction.io/last-applied-configuration"])["domain"]' <<<"$json")
  [[ $last == ofn.io ]] || { WHY="last-applied-configuration annotation has domain '$last'"; return 1; }
}

# A minimal OFN Gateway is completed by the mutating webhook.
check_gateway_minimal() {
  kc create -f "$FX/gateway-minimal.yaml" || { WHY="create: $(one_line "$OUT")"; return 1; }
  local got
  got=$(kget gateways.networking.openfunction.io -n ofn-e2e-gw minimal -o json | pyj '[d["spec"]["clusterDomain"], d["spec"]["hostTemplate"], d["spec"]["pathTemplate"], d["spec"]["httpRouteLabelKey"], [[l["name"], l.get("hostname"), l["port"], l["protocol"]] for l in d["spec"]["gatewaySpec"]["listeners"]], "networking.openfunction.io/last-applied-configuration" in d["metadata"]["annotations"]]')
  local want='["cluster.local","{{.Name}}.{{.Namespace}}.{{.Domain}}","{{.Namespace}}/{{.Name}}","app.kubernetes.io/managed-by",[["http","*.example.com",80,"HTTP"],["ofn-http-internal","*.cluster.local",80,"HTTP"]],true]'
  [[ $got == "$want" ]] || { WHY="stored $got, want $want"; return 1; }
}

# The Function fixtures get their route completed from the Gateway.
check_function_defaults() {
  local f
  for f in "$ROOT"/test/fixtures/function-*.yaml "$ROOT"/test/fixtures/wasmedge-http-server.yaml; do
    kc apply -n default -f "$f" || { WHY="apply $(basename "$f"): $(one_line "$OUT")"; return 1; }
  done
  kc get function "$SAMPLE" -n default -o yaml || { WHY="get: $(one_line "$OUT")"; return 1; }
  local json got
  json=$(kget function "$SAMPLE" -n default -o json)
  got=$(pyj 'd["spec"]["serving"]["triggers"]["http"]["route"]' <<<"$json")
  local want='{"gatewayRef":{"name":"openfunction","namespace":"openfunction"},"hostnames":["function-sample-serving-only.default.ofn.io"],"rules":[{"matches":[{"path":{"type":"PathPrefix","value":"/"}}]}]}'
  [[ $got == "$want" ]] || { WHY="$ROUTE is $got, want $want"; return 1; }
  got=$(pyj 'd["metadata"]["annotations"].get("networking.openfunction.io/generated-route")' <<<"$json")
  [[ $got == hostnames,rules ]] || { WHY="generated-route annotation is '$got'"; return 1; }
  got=$(kobj function wasmedge-http-server -n default 'd["metadata"]["annotations"].get("module.wasm.image/variant")')
  [[ $got == compat-smart ]] || { WHY="wasmedge-http-server: module.wasm.image/variant annotation is '$got'"; return 1; }
}

# A second Function on the same host and path is refused, naming the first.
check_function_conflict() {
  if kc apply -n default -f "$FX/function-same-route.yaml"; then
    WHY="admitted: $(one_line "$OUT")"
    return 1
  fi
  [[ $OUT == *'admission webhook "vfunctions.of.io" denied the request'* && $OUT == *"Function default/$SAMPLE"* ]] ||
    { WHY="refused, but not for the conflict: $(one_line "$OUT")"; return 1; }
  not_found function function-same-route -n default || { WHY="the Function exists after all"; return 1; }
}

# A server-side dry run is answered (defaulted) and stores nothing.
check_dry_run_stores_nothing() {
  kc apply -n default --dry-run=server -o json -f "$FX/function-dry-run.yaml" || { WHY="dry run refused: $(one_line "$OUT")"; return 1; }
  local got
  got=$(pyj 'd["spec"]["serving"]["triggers"]["http"]["route"]["hostnames"]' <<<"$OUT")
  [[ $got == '["function-dry-run.default.ofn.io"]' ]] || { WHY="dry-run answer has hostnames $got"; return 1; }
  not_found function function-dry-run -n default || { WHY="kubectl get function-dry-run: not NotFound"; return 1; }
}

# ... and reserves nothing: a rival claiming the dry run's route is admitted right after it.
# Then the real create of the dry-run Function succeeds (once the rival is gone).
check_dry_run_reserves_nothing() {
  kc create -n default -f "$FX/function-dry-run-rival.yaml" ||
    { WHY="a Function on the dry run's route was refused: $(one_line "$OUT")"; return 1; }
  kc delete function function-dry-run-rival -n default --wait=true || { WHY="delete rival: $(one_line "$OUT")"; return 1; }
  # the server's informer may need a moment to see the delete
  wait_until 20 kc create -n default -f "$FX/function-dry-run.yaml" ||
    { WHY="real create after the dry run refused: $(one_line "$OUT")"; return 1; }
  local got
  got=$(kobj function function-dry-run -n default 'd["spec"]["serving"]["triggers"]["http"]["route"]["hostnames"]')
  [[ $got == '["function-dry-run.default.ofn.io"]' ]] || { WHY="stored hostnames $got"; return 1; }
}

SSA_NS=ofn-e2e-ssa

ssa_apply() {
  kc apply --server-side -n "$SSA_NS" -f "$ROOT/test/fixtures/$SAMPLE.yaml"
}

# The resourceVersion once nobody writes the object any more (a controller may write its
# status right after a create): unchanged over 2 s, within 30 s.
settled_rv() { # kubectl get args...
  local prev cur deadline=$((SECONDS + 30))
  prev=$(kget "$@" -o jsonpath='{.metadata.resourceVersion}')
  while ((SECONDS < deadline)); do
    sleep 2
    cur=$(kget "$@" -o jsonpath='{.metadata.resourceVersion}')
    [[ $cur == "$prev" ]] && break
    prev=$cur
  done
  echo "$prev"
}

# Who wrote the object when (to explain an unexpected write).
writers() { # kubectl get args...
  kget "$@" -o json --show-managed-fields | pyj '", ".join("%s/%s%s@%s" % (m.get("manager"), m.get("operation"), "/" + m["subresource"] if m.get("subresource") else "", m.get("time")) for m in d["metadata"].get("managedFields", []))'
}

# Server-side apply of an unchanged manifest writes nothing the second time.
check_ssa_idempotent() {
  ssa_apply || { WHY="first apply: $(one_line "$OUT")"; return 1; }
  local rv1 rv2 hosts
  rv1=$(settled_rv function "$SAMPLE" -n "$SSA_NS")
  ssa_apply || { WHY="second apply: $(one_line "$OUT")"; return 1; }
  rv2=$(kget function "$SAMPLE" -n "$SSA_NS" -o jsonpath='{.metadata.resourceVersion}')
  [[ -n $rv1 && $rv1 == "$rv2" ]] ||
    { WHY="resourceVersion $rv1 -> $rv2 (managedFields: $(writers function "$SAMPLE" -n "$SSA_NS"))"; return 1; }
  hosts=$(kobj function "$SAMPLE" -n "$SSA_NS" 'd["spec"]["serving"]["triggers"]["http"]["route"]["hostnames"]')
  [[ $hosts == "[\"$SAMPLE.$SSA_NS.ofn.io\"]" ]] || { WHY="hostnames $hosts"; return 1; }
}

# A hand-written HTTPRoute on the host and path of a Function is refused (each served version).
check_httproute_conflict() { # version
  local v=$1 name=raw-same-route-$1
  if kc create -f <(with_version "$FX/httproute-same-route.yaml" "$v" | sed "s/raw-same-route-VERSION/$name/"); then
    WHY="admitted: $(one_line "$OUT")"
    return 1
  fi
  [[ $OUT == *'admission webhook "vhttproutes.of.io" denied the request'* && $OUT == *"Function default/$SAMPLE"* ]] ||
    { WHY="refused, but not for the conflict: $(one_line "$OUT")"; return 1; }
  not_found "httproutes.$v.gateway.networking.k8s.io" "$name" -n default || { WHY="the HTTPRoute exists after all"; return 1; }
}

check_httproute_other_path() {
  kc create -f <(with_version "$FX/httproute-other-path.yaml" "${HTTPROUTE_VERSIONS[-1]}") ||
    { WHY="refused: $(one_line "$OUT")"; return 1; }
}

check_gamma_allowed() {
  kc create -f <(with_version "$FX/httproute-gamma.yaml" "${HTTPROUTE_VERSIONS[-1]}") && return 0
  WHY="refused: $(one_line "$OUT")"
  [[ $OUT == *'must be of type string: "null"'* ]] &&
    WHY+=" [this apiserver takes \"\" for null: binaries built before control-plane.sh's zero-value fix; delete ~/.cache/ofn-webhook-e2e/bin to rebuild]"
  return 1
}

check_gateway_invalid() {
  if kc create -f "$FX/gateway-no-domain.yaml"; then
    WHY="admitted: $(one_line "$OUT")"
    return 1
  fi
  [[ $OUT == *'admission webhook "vgateway.of.io" denied the request'* && $OUT == *'spec.domain: Required value: must specify domain'* ]] ||
    { WHY="refused, but not by us as expected: $(one_line "$OUT")"; return 1; }
}

SSLIP=1.2.3.4.sslip.io

check_gateway_domain_patch() {
  kc patch "${OFN_GW[@]}" --type merge -p "{\"spec\":{\"domain\":\"$SSLIP\"}}" || { WHY="patch: $(one_line "$OUT")"; return 1; }
  local got
  got=$(kobj "${OFN_GW[@]}" '[d["spec"]["domain"], [l.get("hostname") for l in d["spec"]["gatewaySpec"]["listeners"]]]')
  [[ $got == "[\"$SSLIP\",[\"*.cluster.local\",\"*.$SSLIP\"]]" ]] || { WHY="stored domain and listener hostnames: $got"; return 1; }
}

# After the domain change, re-applying the same manifest server-side re-renders the generated
# hostnames, without a field-manager conflict.
check_ssa_rerender() {
  ssa_apply || { WHY="apply: $(one_line "$OUT")"; return 1; }
  [[ $OUT != *onflict* ]] || { WHY="$(one_line "$OUT")"; return 1; }
  local got
  got=$(kobj function "$SAMPLE" -n "$SSA_NS" '[d["spec"]["serving"]["triggers"]["http"]["route"].get("hostnames"), d["spec"]["serving"]["triggers"]["http"]["route"].get("rules"), d["metadata"]["annotations"].get("networking.openfunction.io/generated-route")]')
  local want="[[\"$SAMPLE.$SSA_NS.$SSLIP\"],[{\"matches\":[{\"path\":{\"type\":\"PathPrefix\",\"value\":\"/\"}}]}],\"hostnames,rules\"]"
  [[ $got == "$want" ]] || { WHY="hostnames, rules, annotation: $got, want $want"; return 1; }
}

# ---- controller (HTTPRoute, ExternalName Service, status) ----

KSVC=function-sample-serving-only-ksvc-e2e
REVISION=$KSVC-00001
CONTROLLER=""   # on | off (decided by controller_setup)
CONTROLLER_WHY=""

# OpenFunction's part: the Knative Service with a ready revision, the Function's serving status.
serving_status() {
  kc apply -f "$FX/knative-service.yaml" || { WHY="Knative Service: $(one_line "$OUT")"; return 1; }
  kc patch services.serving.knative.dev "$KSVC" -n default --subresource=status --type merge -p \
    "{\"status\":{\"latestReadyRevisionName\":\"$REVISION\",\"latestCreatedRevisionName\":\"$REVISION\",\"url\":\"http://$KSVC.default.svc.cluster.local\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}" ||
    { WHY="Knative Service status: $(one_line "$OUT")"; return 1; }
  kc patch function "$SAMPLE" -n default --subresource=status --type merge -p \
    "{\"status\":{\"serving\":{\"service\":\"$KSVC\",\"state\":\"Running\",\"resourceRef\":\"$KSVC\"}}}" ||
    { WHY="Function status: $(one_line "$OUT")"; return 1; }
  local got
  got=$(kobj function "$SAMPLE" -n default '[d["status"]["serving"]["service"], d["status"]["serving"]["state"]]')
  [[ $got == "[\"$KSVC\",\"Running\"]" ]] || { WHY="Function status.serving: $got"; return 1; }
  got=$(kobj services.serving.knative.dev "$KSVC" -n default 'd["status"]["latestReadyRevisionName"]')
  [[ $got == "$REVISION" ]] || { WHY="Knative Service status.latestReadyRevisionName: $got"; return 1; }
}

httproute_exists() { kubectl get httproutes.gateway.networking.k8s.io "$SAMPLE" -n default >/dev/null 2>&1; }

controller_setup() {
  if [[ $INSTALL == beside-openfunction ]]; then
    CONTROLLER=off CONTROLLER_WHY="beside-openfunction: --controller=false"
    return 0
  fi
  case ${OFN_E2E_CONTROLLER:-auto} in
    0 | false | off) CONTROLLER=off CONTROLLER_WHY="OFN_E2E_CONTROLLER=${OFN_E2E_CONTROLLER}" ;;
    1 | true | on) CONTROLLER=on ;;
    *)
      if jar_has_controller; then
        CONTROLLER=on
      else
        CONTROLLER=probe
      fi
      ;;
  esac
  if [[ $CONTROLLER == off ]]; then
    return 0
  fi
  check "serving status set via the status subresource (Knative Service + Function)" serving_status
  if [[ $CONTROLLER == probe ]]; then
    log "the jar holds no controller (FunctionReconciler): waiting up to 30 s for an HTTPRoute anyway"
    if wait_until 30 httproute_exists; then
      CONTROLLER=on
    else
      CONTROLLER=off CONTROLLER_WHY="controller not built: no FunctionReconciler in the jar and no HTTPRoute within 30 s"
    fi
  fi
}

route_of() { kget httproutes.gateway.networking.k8s.io "$SAMPLE" -n default -o json; }

httproute_as_expected() { # domain
  local json got want
  json=$(route_of) || { WHY="no HTTPRoute default/$SAMPLE"; return 1; }
  got=$(pyj 'd["spec"].get("hostnames")' <<<"$json")
  want="[\"$SAMPLE.default.$1\",\"$SAMPLE.default.svc.cluster.local\"]"
  [[ $got == "$want" ]] || { WHY="hostnames $got, want $want"; return 1; }
  got=$(pyj '[[r["kind"], r["name"], r.get("controller")] for r in d["metadata"].get("ownerReferences", [])]' <<<"$json")
  [[ $got == "[[\"Function\",\"$SAMPLE\",true]]" ]] || { WHY="ownerReferences $got"; return 1; }
  got=$(pyj '[d["metadata"]["labels"].get("openfunction.io/function"), d["metadata"]["labels"].get("app.kubernetes.io/managed-by")]' <<<"$json")
  [[ $got == "[\"$SAMPLE\",\"openfunction.openfunction\"]" ]] || { WHY="labels openfunction.io/function, app.kubernetes.io/managed-by: $got"; return 1; }
  got=$(pyj 'sorted(set((p.get("namespace"), p["name"]) for p in d["spec"]["parentRefs"]))' <<<"$json")
  [[ $got == '[["projectcontour","contour"]]' ]] || { WHY="parentRefs $got"; return 1; }
  got=$(pyj '[[b["name"], b["port"]] for r in d["spec"]["rules"] for b in r.get("backendRefs", [])]' <<<"$json")
  [[ $got == "[[\"$REVISION\",80]]" ]] || { WHY="backendRefs $got"; return 1; }
}

check_controller_httproute() {
  wait_until 60 httproute_exists || { WHY="no HTTPRoute default/$SAMPLE after 60 s"; return 1; }
  wait_until 30 httproute_as_expected ofn.io
}

externalname_service_as_expected() {
  local got
  got=$(kobj service "$SAMPLE" -n default '[d["spec"]["type"], d["spec"].get("externalName"), [r["kind"] + "/" + r["name"] for r in d["metadata"].get("ownerReferences", [])]]') ||
    { WHY="no Service default/$SAMPLE"; return 1; }
  [[ $got == "[\"ExternalName\",\"gateway.openfunction.svc.cluster.local\",[\"Function/$SAMPLE\"]]" ]] || { WHY="Service: $got"; return 1; }
}

check_controller_service() {
  wait_until 60 externalname_service_as_expected
}

addresses_are() { # domain
  local got
  got=$(kobj function "$SAMPLE" -n default 'sorted([a["type"], a["value"]] for a in d.get("status", {}).get("addresses") or [])')
  local want="[[\"External\",\"http://$SAMPLE.default.$1/\"],[\"Internal\",\"http://$SAMPLE.default.svc.cluster.local/\"]]"
  [[ $got == "$want" ]] || { WHY="status.addresses $got, want $want"; return 1; }
}

check_controller_addresses() {
  wait_until 60 addresses_are ofn.io
}

function_rerendered() {
  local hosts from
  hosts=$(kobj function "$SAMPLE" -n default 'd["spec"]["serving"]["triggers"]["http"]["route"].get("hostnames")')
  from=$(kobj function "$SAMPLE" -n default 'd["metadata"]["annotations"].get("networking.openfunction.io/rendered-from")')
  [[ $hosts == "[\"$SAMPLE.default.$SSLIP\"]" && $from =~ ^openfunction/openfunction@[0-9]+$ ]] ||
    { WHY="hostnames $hosts, rendered-from annotation $from"; return 1; }
}

# The domain changed: the controller touches the Function (rendered-from), our mutating webhook
# re-renders its generated hostnames; nobody re-applied anything.
check_controller_rerender() {
  wait_until 60 function_rerendered
}

check_controller_follow_domain() {
  wait_until 60 addresses_are "$SSLIP" || return 1
  wait_until 30 httproute_as_expected "$SSLIP"
}

k8s_gateway_listener_follows() {
  local got
  got=$(kobj "gateways.$GATEWAY_VERSION.gateway.networking.k8s.io" contour -n projectcontour '[l.get("hostname") for l in d["spec"]["listeners"] if l["name"] == "ofn-http-external"]')
  [[ $got == "[\"*.$SSLIP\"]" ]] || { WHY="k8s Gateway listener ofn-http-external hostname: $got"; return 1; }
}

check_controller_k8s_gateway() {
  wait_until 60 k8s_gateway_listener_follows
}

owned_gone() {
  ! kubectl get httproutes.gateway.networking.k8s.io "$SAMPLE" -n default >/dev/null 2>&1 &&
    ! kubectl get service "$SAMPLE" -n default >/dev/null 2>&1
}

check_controller_gc() {
  kc delete function "$SAMPLE" -n default --wait=true || { WHY="delete: $(one_line "$OUT")"; return 1; }
  wait_until 90 owned_gone || { WHY="HTTPRoute or Service default/$SAMPLE still there 90 s after the Function's deletion"; return 1; }
}

controller_checks_a() {
  local names=("controller: HTTPRoute default/$SAMPLE written (hosts, owner, labels, parent, revision backend)"
    "controller: ExternalName Service default/$SAMPLE -> gateway.openfunction.svc.cluster.local"
    "controller: status.addresses http://$SAMPLE.default.ofn.io/ and the internal one")
  if [[ $CONTROLLER != on ]]; then
    local n
    for n in "${names[@]}"; do skip "$n" "$CONTROLLER_WHY"; done
    return
  fi
  check "${names[0]}" check_controller_httproute
  check "${names[1]}" check_controller_service
  check "${names[2]}" check_controller_addresses
}

controller_checks_b() {
  local names=("controller: domain change re-renders the Function's hostnames without a re-apply (rendered-from)"
    "controller: status.addresses and HTTPRoute follow the domain ($SSLIP)"
    "controller: k8s Gateway listener ofn-http-external follows the domain"
    "controller: deleting the Function garbage-collects its HTTPRoute and Service")
  if [[ $CONTROLLER != on ]]; then
    local n
    for n in "${names[@]}"; do skip "$n" "$CONTROLLER_WHY"; done
    return
  fi
  check "${names[0]}" check_controller_rerender
  check "${names[1]}" check_controller_follow_domain
  check "${names[2]}" check_controller_k8s_gateway
  check "${names[3]}" check_controller_gc
}

# ---- server down ----

check_sigterm() {
  kill -TERM "$SERVER_PID" 2>/dev/null || { WHY="server not running"; return 1; }
  sleep 1
  local readyz healthz
  readyz=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$PROBE_PORT/readyz" || true)
  healthz=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$PROBE_PORT/healthz" || true)
  local i
  for ((i = 0; i < 150; i++)); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    WHY="still running 30 s after SIGTERM"
    return 1
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
  [[ $readyz != 200 && $healthz == 200 ]] || { WHY="1 s after SIGTERM /readyz answered $readyz, /healthz $healthz (want not 200, 200)"; return 1; }
}

check_function_refused_when_down() {
  if kc create -n default -f "$FX/function-while-down.yaml"; then
    WHY="admitted while the webhook is down: $(one_line "$OUT")"
    return 1
  fi
  [[ $OUT == *'failed calling webhook "vfunctions.of.io"'* ]] || { WHY="refused, but not by the failure policy: $(one_line "$OUT")"; return 1; }
  not_found function function-while-down -n default || { WHY="the Function exists after all"; return 1; }
}

check_httproute_allowed_when_down() {
  kc create -f <(with_version "$FX/httproute-while-down.yaml" "${HTTPROUTE_VERSIONS[-1]}") ||
    { WHY="refused: $(one_line "$OUT")"; return 1; }
}

# The self-managed certificates (the default --cert-mode, in a cluster), as the ServiceAccount: a
# second server without --register-url writes the Secret ofn-webhook-certs and puts its CA into both
# webhook configurations' caBundle. Run last: the registered configurations then trust its CA.
check_self_managed_certs() {
  local port probe log=$WORK/server-self-managed.log pid ok=0 deadline
  port=$(free_port "$SERVER_PORT" "$PROBE_PORT") && probe=$(free_port "$SERVER_PORT" "$PROBE_PORT" "$port") ||
    { WHY="no free port"; return 1; }
  "$ROOT/webhook" serve --kubeconfig "$SA_KUBECONFIG" --namespace "$SA_NS" --controller=false \
    --host 127.0.0.1 --port "$port" --probe-port "$probe" --shutdown-grace 0s </dev/null >"$log" 2>&1 &
  pid=$!
  deadline=$((SECONDS + 90))
  while ((SECONDS < deadline)) && kill -0 "$pid" 2>/dev/null; do
    if python3 - "$SA_NS" <<'PY' 2>/dev/null; then
import base64, json, subprocess, sys
def get(*args):
    return json.loads(subprocess.run(["kubectl", "get", *args, "-o", "json"], check=True, capture_output=True).stdout)
ca = base64.b64decode(get("secret", "ofn-webhook-certs", "-n", sys.argv[1])["data"]["ca.crt"]).decode().strip()
for kind in ("mutatingwebhookconfiguration", "validatingwebhookconfiguration"):
    for hook in get(kind, "ofn-webhook")["webhooks"]:
        if ca not in base64.b64decode(hook["clientConfig"].get("caBundle", "")).decode():
            sys.exit(1)
PY
      ok=1
      break
    fi
    sleep 1
  done
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  ((ok)) || { WHY="no Secret ofn-webhook-certs with its CA in both caBundles after 90 s: $(one_line "$(grep -m2 -iE 'forbidden|cannot' "$log" || grep -m3 -E 'ERROR|WARN' "$log")")"; return 1; }
}

# `serve --register-url` (without --keep-registration, which the main server above has: the
# server-down checks need its registration) removes its own configurations on SIGTERM. A second
# server, under other configuration names, as the ServiceAccount.
check_sigterm_unregisters() {
  local port probe log=$WORK/server-sigterm.log pid attempt names=(--mutating-config ofn-webhook-stop --validating-config ofn-webhook-stop)
  # Twice at most: on a loaded machine the first connection can time out, and the server then runs
  # standalone (one line says so) and registers nothing.
  for attempt in 1 2; do
    port=$(free_port "$SERVER_PORT" "$PROBE_PORT") && probe=$(free_port "$SERVER_PORT" "$PROBE_PORT" "$port") ||
      { WHY="no free port"; return 1; }
    "$ROOT/webhook" serve --kubeconfig "$SA_KUBECONFIG" --namespace "$SA_NS" --controller=false \
      --host 127.0.0.1 --port "$port" --probe-port "$probe" --register-url "https://127.0.0.1:$port" \
      "${names[@]}" --cert-dir "$WORK/certs-sigterm" --shutdown-grace 0s --warmup 0 </dev/null >"$log" 2>&1 &
    pid=$!
    wait_until 90 sigterm_server_settled "$pid" "$log" || true
    kget validatingwebhookconfiguration ofn-webhook-stop -o name >/dev/null && break
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if ((attempt == 2)) || ! grep -q 'no reachable cluster' "$log"; then
      WHY="not registered: $(one_line "$(grep -m3 -E 'ERROR|WARN|error|warn' "$log")")"
      return 1
    fi
  done
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  if ! not_found mutatingwebhookconfiguration ofn-webhook-stop || ! not_found validatingwebhookconfiguration ofn-webhook-stop; then
    WHY="a webhook configuration ofn-webhook-stop is left: $(one_line "$(grep -m2 -iE 'unregister|configuration' "$log")")"
    "$ROOT/webhook" unregister --kubeconfig "$KUBECONFIG" "${names[@]}" >>"$WORK/unregister.log" 2>&1
    return 1
  fi
}

# pid log: false while the server is still starting (not registered, running, not standalone).
sigterm_server_settled() {
  kget validatingwebhookconfiguration ofn-webhook-stop -o name >/dev/null && return 0
  kill -0 "$1" 2>/dev/null && ! grep -q 'no reachable cluster' "$2" && return 1
  return 0
}

check_unregister() {
  "$ROOT/webhook" unregister --kubeconfig "$KUBECONFIG" >"$WORK/unregister.log" 2>&1 ||
    { WHY="exit status $?: $(one_line "$(cat "$WORK/unregister.log")")"; return 1; }
  REGISTERED=0
  not_found mutatingwebhookconfiguration ofn-webhook && not_found validatingwebhookconfiguration ofn-webhook ||
    { WHY="a webhook configuration ofn-webhook is still there"; return 1; }
}

source "$E2E/cases/split.sh"

# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------

source "$E2E/cases/check.sh"
source "$E2E/cases/ownership.sh"
source "$E2E/cases/late-crds.sh"
source "$E2E/cases/plain-gateway.sh"

start_cluster
check "no CRDs installed: the server starts, /readyz ok with a warning naming the missing CRDs" check_serves_without_crds
install_crds
create_namespaces
install_rbac
start_server

check "OFN Gateway fixture: ofn-http-internal listener *.cluster.local, last-applied annotation" check_gateway_defaults
check "OFN Gateway minimal: CRD fields, *.<domain> listener hostname, internal listener appended" check_gateway_minimal
persisting_check "Function fixtures: gatewayRef, hostnames [$SAMPLE.default.ofn.io], PathPrefix /, generated-route annotation" check_function_defaults
if [[ $INSTALL == beside-openfunction ]]; then
  check "beside-openfunction: Function fixtures stored as written, no HTTPRoute of ours after 5 s" check_beside_writes_nothing
fi
check "Function on the same host and path refused, naming Function default/$SAMPLE" check_function_conflict
persisting_check "kubectl apply --dry-run=server: answered with defaults, nothing stored" check_dry_run_stores_nothing
persisting_check "dry run reserves nothing: a rival on its route is admitted, then the real create succeeds" check_dry_run_reserves_nothing
persisting_check "kubectl apply --server-side twice: resourceVersion unchanged" check_ssa_idempotent
for v in "${HTTPROUTE_VERSIONS[@]}"; do
  check "HTTPRoute $v on projectcontour/contour with a Function's host and path refused" check_httproute_conflict "$v"
done
check "HTTPRoute on the same host, other path admitted" check_httproute_other_path
check "GAMMA HTTPRoute (Service parent) on a Function's host and path admitted" check_gamma_allowed
check "OFN Gateway without domain refused: spec.domain: Required value: must specify domain" check_gateway_invalid

if [[ $INSTALL == controller ]]; then
  check "Knative Service CRD installed after the server started: watched within 10 s" late_knative_crd
else # without a controller the server never watches Knative Services: the CRD only goes in
  kc apply -f "$E2E/knative-service-crd.yaml" >/dev/null || true
  skip "Knative Service CRD installed after the server started: watched within 10 s" \
    "the $INSTALL install runs no controller, which alone watches Knative Services"
fi
controller_setup
if [[ $CONTROLLER == on ]]; then
  check "Knative CRD installed late: the Running Function's HTTPRoute within 10 s" check_route_within_10s
fi
controller_checks_a

check "ownership namespace (OFN Gateway annotation): team-a's Function on shop.ofn.io /api admitted" check_own_team_a
check "ownership namespace: team-b's Function on shop.ofn.io /api/orders refused: $OWN_B_REFUSAL" check_own_team_b_function_refused
check "ownership namespace: team-b's raw HTTPRoute on shop.ofn.io refused, naming team-a" check_own_team_b_route_refused
check "ownership namespace: team-a's second path on shop.ofn.io admitted" check_own_team_a_second_path
check "webhook check --hostname-ownership namespace: the same refusals offline, exit 1" check_own_offline_namespace
check "ownership off: team-b's Function admitted with a warning naming Function team-a/shop" check_own_off_warns
check "webhook check (ownership off): the same warning offline, exit 0" check_own_offline_off
check "ownership: annotation removed, objects deleted" own_cleanup
check_own_https "controller: a Function behind an HTTPS listener gets an https:// address"

check "OFN Gateway domain patched to $SSLIP (listener hostname follows)" check_gateway_domain_patch
persisting_check "kubectl apply --server-side again: hostnames re-rendered to *.$SSLIP, no field-manager conflict" check_ssa_rerender

controller_checks_b
shadowed_gauge_case
split_checks
plain_gateway_checks

check "SIGTERM: /readyz fails at once, /healthz still ok, the server exits" check_sigterm
check "server down: Function create refused (failurePolicy Fail, \"failed calling webhook\")" check_function_refused_when_down
check "server down: HTTPRoute create admitted (failurePolicy Ignore)" check_httproute_allowed_when_down
check "self-managed certificates as the ServiceAccount: Secret ofn-webhook-certs written, its CA in both caBundles" check_self_managed_certs
check "serve --register-url stopped with SIGTERM: its webhook configurations removed" check_sigterm_unregisters
check "webhook unregister removes both webhook configurations" check_unregister
check "webhook unregistered: two HTTPRoutes on one host and path both admitted" check_routes_created_unguarded
check "webhook check --cluster: the conflict, winner HTTPRoute default/check-z-older (older), shadowed check-a-younger" check_cluster_audit
check "webhook check --cluster -f: a third route on that key refused, naming both owners (json)" check_cluster_file

summary
((FAILED == 0))
