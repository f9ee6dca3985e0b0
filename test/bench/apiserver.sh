#!/usr/bin/env bash
# The real-apiserver section of `make bench` (alone: `make bench-apiserver`): what our webhooks add
# to a Function create through a real kube-apiserver, at the rate the apiserver sends reviews (one
# create after the other, as `kubectl create -f` of a multi-document file), warm and right after a
# fresh start. docs/benchmarks-apiserver.md says what the figures mean and holds the last run's.
#
#   1. the control plane of `make e2e` (test/e2e/control-plane.sh: etcd + kube-apiserver 1.20 on
#      127.0.0.1, state in a temp dir; started here, stopped at exit), the project's CRDs, the default
#      OFN Gateway openfunction/openfunction and its k8s Gateway;
#   2. our server (`./webhook serve --register-url`, the controller off so that no HTTPRoute or
#      Service writes run during the measurement; --persist-generated-route=true) and a do-nothing
#      pair (dev.ofn.webhook.bench.UidEchoServer: the same Vert.x HTTPS listener, echoes the uid,
#      allows), each registered with our configurations' Function webhooks (rules, policies,
#      selectors, timeouts) for a namespace of its own; a third namespace has no webhook;
#   3. creates round-robin over the three namespaces (test/bench/apiserver_tool.py: one keep-alive
#      HTTPS connection, each create timed by the client): BENCH_APISERVER_WARMUP per mode, not
#      measured, then N per mode; then our server is restarted and the first N creates per mode are
#      timed again (cold). Round-robin, every mode sees the same moments of a noisy machine.
#
# Prints "name: value unit" lines; never fails the build on a timing. Skips with one line when no
# control plane can be had.
#
# Knobs: BENCH_APISERVER=0 (skip), BENCH_APISERVER_CREATES (N, default 300),
#   BENCH_APISERVER_WARMUP (per mode, default 100), BENCH_APISERVER_SERVER_ARGS (more `webhook serve`
#   arguments), BENCH_APISERVER_SERVER_ENV (environment of our server, e.g. OFN_WEBHOOK_WARMUP=0),
#   BENCH_APISERVER_ECHO_ARGS (more UidEchoServer arguments, for diagnosis), BENCH_KEEP=1 (keep the
#   work dir), OFN_E2E_USE_KUBECONFIG=1 (the throw-away cluster of $KUBECONFIG instead of starting one).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD

N=${BENCH_APISERVER_CREATES:-300}
WARMUP=${BENCH_APISERVER_WARMUP:-100}
TOOL="python3 $ROOT/test/bench/apiserver_tool.py"
RUN_ID=$(date +%s)
MODES=(none echo ours)
declare -A NS
for mode in "${MODES[@]}"; do NS[$mode]=ofn-bench-$mode-$RUN_ID; done

figure() { echo "$1: $2${3:+ $3}"; }
log() { echo "bench-apiserver: $*" >&2; }
skip() {
  figure apiserver "SKIPPED ($1)"
  exit 0
}

[ "${BENCH_APISERVER:-1}" != 0 ] || skip "BENCH_APISERVER=0"
JAR=target/ofn-webhook.jar
[ -f "$JAR" ] && [ -f target/test-classes/dev/ofn/webhook/bench/UidEchoServer.class ] ||
  { echo "bench-apiserver: run 'make build' first" >&2; exit 2; }
command -v kubectl >/dev/null || skip "kubectl is not installed"
command -v python3 >/dev/null || skip "python3 is not installed"

unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
JAVA_FLAGS=$(sed -n 's/^DEFAULT_JAVA_OPTS="\(.*\)"$/\1/p' webhook)
JAVA_FLAGS=${JAVA_OPTS:-$JAVA_FLAGS}
# The launcher's JVM (a Java 25 when there is one), for the echo server and the bench tools too: every
# figure of a run comes from one JVM.
JAVA_BIN=${JAVA:-$(bash scripts/find-java.sh 25 || echo java)}
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
CP="target/test-classes:target/classes:target/lib/*"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ofn-bench-apiserver.XXXXXX")
export OFN_E2E_STATE_DIR=$WORK/cluster
[ "${OFN_E2E_USE_KUBECONFIG:-0}" = 1 ] || export OFN_E2E_IGNORE_KUBECONFIG=1
CLUSTER_STARTED=0 SERVER_PID="" ECHO_PID=""
cleanup() {
  set +e
  for pid in $SERVER_PID $ECHO_PID; do kill "$pid" 2>/dev/null; done
  for pid in $SERVER_PID $ECHO_PID; do wait "$pid" 2>/dev/null; done
  if [ -n "${KUBECONFIG:-}" ] && [ "$CLUSTER_STARTED" = 0 ]; then # someone else's cluster: tidy up
    kubectl delete mutatingwebhookconfiguration ofn-webhook ofn-bench-echo ofn-bench-cold --ignore-not-found >/dev/null 2>&1
    kubectl delete validatingwebhookconfiguration ofn-webhook ofn-bench-echo ofn-bench-cold --ignore-not-found >/dev/null 2>&1
    for mode in "${MODES[@]}"; do kubectl delete namespace "${NS[$mode]}" --wait=false --ignore-not-found >/dev/null 2>&1; done
  fi
  [ "$CLUSTER_STARTED" = 1 ] && bash test/e2e/control-plane.sh stop >>"$WORK/control-plane.log" 2>&1
  if [ "${BENCH_KEEP:-0}" = 1 ]; then log "logs kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

kc() { command kubectl --request-timeout=60s "$@" 2> >(grep -v 'version difference between client' >&2); }
# shellcheck source=scripts/free-port.sh
source scripts/free-port.sh

# --- control plane, CRDs, namespaces, gateways --------------------------------------------------
log "starting the control plane (test/e2e/control-plane.sh; builds Kubernetes on first use, ~10 min)"
# Two tries: on a busy machine control-plane.sh can take a component that has not exec'd yet for
# one that exited ("etcd exited during start-up").
env=$(bash test/e2e/control-plane.sh start 2>"$WORK/control-plane.log") ||
  env=$(bash test/e2e/control-plane.sh start 2>>"$WORK/control-plane.log") ||
  skip "no control plane: $(grep -m1 ERROR "$WORK/control-plane.log" || tail -n1 "$WORK/control-plane.log")"
eval "$env"
[ "${OFN_E2E_MODE:-}" = own ] && CLUSTER_STARTED=1
bash test/e2e/install-crds.sh >"$WORK/install-crds.log" 2>&1 || skip "install-crds.sh failed (see $WORK/install-crds.log)"
# Kubernetes < 1.21 does not set kubernetes.io/metadata.name, which our namespaceSelector uses.
for ns in openfunction ofn-webhook-system projectcontour "${NS[@]}"; do
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
APISERVER_VERSION=$(kc version -o json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["serverVersion"]["gitVersion"])' || echo "?")

# --- our server and the do-nothing pair ---------------------------------------------------------
PORT=$(free_port)
PROBE=$(free_port)
ECHO_PORT=$(free_port)
READY_MS=
start_server() { # $1 = log name, $2 = name of the configurations it registers
  local t0
  t0=$(date +%s%N)
  # shellcheck disable=SC2086
  env ${BENCH_APISERVER_SERVER_ENV:-} ./webhook serve --kubeconfig "$KUBECONFIG" --host 127.0.0.1 --port "$PORT" \
    --probe-port "$PROBE" --register-url "https://127.0.0.1:$PORT" --keep-registration --cert-dir "$WORK/certs" --shutdown-grace 0s \
    --mutating-config "$2" --validating-config "$2" --controller=false --persist-generated-route=true \
    ${BENCH_APISERVER_SERVER_ARGS:-} </dev/null >"$WORK/$1.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 12000); do
    curl -sf -o /dev/null "http://127.0.0.1:$PROBE/readyz" && break
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$WORK/$1.log" >&2; log "our server died"; exit 1; }
    sleep 0.01
  done
  READY_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}
stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
start_server server ofn-webhook
warm_ready_ms=$READY_MS
# Our configurations as registered, each narrowed to its namespace; the echo pair gets our Function
# webhooks (same rules, policies, timeouts, selectors) pointed at it, for its own namespace.
kc get mutatingwebhookconfiguration ofn-webhook -o json >"$WORK/ours-m.raw.json"
kc get validatingwebhookconfiguration ofn-webhook -o json >"$WORK/ours-v.raw.json"
for k in m v; do
  $TOOL registration "$WORK/ours-$k.raw.json" "$WORK/ours-$k.json" ofn-webhook "${NS[ours]}"
  $TOOL registration "$WORK/ours-$k.raw.json" "$WORK/echo-$k.json" ofn-bench-echo "${NS[echo]}" "https://127.0.0.1:$ECHO_PORT"
  kc replace -f "$WORK/ours-$k.json" >/dev/null
  kc create -f "$WORK/echo-$k.json" >/dev/null
done
# shellcheck disable=SC2086
"$JAVA_BIN" $JAVA_FLAGS -cp "$CP" dev.ofn.webhook.bench.UidEchoServer "$ECHO_PORT" "$WORK/certs" ${BENCH_APISERVER_ECHO_ARGS:-} >"$WORK/echo.log" 2>&1 &
ECHO_PID=$!
for _ in $(seq 1 1000); do
  grep -q listening "$WORK/echo.log" 2>/dev/null && break
  kill -0 "$ECHO_PID" 2>/dev/null || { cat "$WORK/echo.log" >&2; exit 1; }
  sleep 0.01
done

MUTATE=mfunctions.of.io
VALIDATE=vfunctions.of.io
scrape_ours() { curl -sf "http://127.0.0.1:$PROBE/metrics" >"$1" || : >"$1"; }
scrape_apiserver() { kc get --raw /metrics >"$1" 2>/dev/null || : >"$1"; }
calls_of() { # $1 = ours|echo: mutating calls that server answered so far
  if [ "$1" = ours ]; then
    curl -sf "http://127.0.0.1:$PROBE/metrics" |
      awk -v e="$MUTATE" '$1 ~ /^ofn_webhook_requests_total\{/ && index($1, "endpoint=\"" e "\"") { n += $2 } END { print n + 0 }'
  else
    curl -sfk "https://127.0.0.1:$ECHO_PORT/count" | awk '$1 ~ /^\/mutate/ { n += $2 } END { print n + 0 }'
  fi
}
probe_n=0
# One dry-run create in the namespace of mode $1; true when it reached exactly that mode's server.
reaches_only() {
  local o0 e0 o1 e1
  o0=$(calls_of ours) e0=$(calls_of echo)
  probe_n=$((probe_n + 1))
  $TOOL creates "$WORK/kubeconfig.json" "$WORK/function.json" "${NS[$1]}" "probe-$probe_n" 1 "$WORK/probe.txt" dry-run 2>/dev/null
  o1=$(calls_of ours) e1=$(calls_of echo)
  case $1 in
    none) [ "$o1" = "$o0" ] && [ "$e1" = "$e0" ] ;;
    echo) [ "$o1" = "$o0" ] && [ "$e1" != "$e0" ] ;;
    ours) [ "$o1" != "$o0" ] && [ "$e1" = "$e0" ] ;;
  esac
}
# Until the apiserver's configuration informer (up to a second behind) has what we registered:
# twice in a row for each mode given.
await_registrations() {
  local i mode ok
  for i in $(seq 1 60); do
    ok=1
    for mode in "$@"; do
      reaches_only "$mode" && reaches_only "$mode" || { ok=0; break; }
    done
    [ "$ok" = 1 ] && return 0
    sleep 0.25
  done
  log "the apiserver still calls other webhooks than registered after 15 s"
}

interleave() { # $1 = label, $2 = creates per mode
  local targets=() mode
  for mode in "${MODES[@]}"; do targets+=("${NS[$mode]}:$mode"); done
  $TOOL interleave "$WORK/kubeconfig.json" "$WORK/function.json" "$1" "$2" "$WORK/t-$1-" "${targets[@]}" \
    2>>"$WORK/create-errors.log"
}
load_avg() { cut -d' ' -f1 /proc/loadavg; }

# --- measurement ----------------------------------------------------------------------------------
await_registrations none echo ours
log "warm-up: $WARMUP creates per mode, then $N per mode, round-robin over none/echo/ours; then $N after a restart"
interleave warmup "$WARMUP"
load_warm_0=$(load_avg)
scrape_apiserver "$WORK/api-warm-before.prom"
scrape_ours "$WORK/ours-warm-before.prom"
interleave warm "$N"
scrape_ours "$WORK/ours-warm-after.prom"
scrape_apiserver "$WORK/api-warm-after.prom"
load_warm_1=$(load_avg)

# Cold: a fresh process on the same port with the same certificates: the narrowed registration above
# keeps pointing at it. It registers its own configurations at start (named ofn-bench-cold here, for
# every namespace): deleted at once, before any create reaches it.
stop_server
start_server server-cold ofn-bench-cold
cold_ready_ms=$READY_MS
kc delete mutatingwebhookconfiguration ofn-bench-cold >/dev/null
kc delete validatingwebhookconfiguration ofn-bench-cold >/dev/null
await_registrations none echo
sleep 1
load_cold_0=$(load_avg)
scrape_apiserver "$WORK/api-cold-before.prom"
scrape_ours "$WORK/ours-cold-before.prom"
interleave cold "$N"
scrape_ours "$WORK/ours-cold-after.prom"
scrape_apiserver "$WORK/api-cold-after.prom"
load_cold_1=$(load_avg)

# --- figures --------------------------------------------------------------------------------------
figure apiserver_kubernetes "$APISERVER_VERSION"
figure apiserver_creates_per_mode "$N" "(round-robin none/echo/ours after $WARMUP unmeasured each; cold: the first $N each after a restart)"
figure apiserver_load_avg_1m "$load_warm_0-$load_warm_1 warm, $load_cold_0-$load_cold_1 cold" "(before-after, $(nproc) cores)"
declare -A P50 P99
for phase in warm cold; do
  for mode in "${MODES[@]}"; do
    read -r p50 p90 p99 max n failed warned < <($TOOL pct "$WORK/t-$phase-$mode.txt")
    key=$mode
    [ "$phase" = cold ] && key=${mode}_cold
    P50[$key]=$p50 P99[$key]=$p99
    [ "$phase" = cold ] && [ "$mode" != ours ] && continue # printed below, as the cold phase's baselines
    figure "apiserver_create_p50_ms_$key" "$p50" "ms (p90 $p90, max $max; $n created, $failed failed, $warned warnings$([ "$phase" = cold ] && echo "; first $N after a restart, ready in $cold_ready_ms ms"))"
  done
done
for key in none echo ours ours_cold; do
  figure "apiserver_create_p99_ms_$key" "${P99[$key]}" ms
done
added() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a - b }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
added_echo=$(added "${P50[echo]}" "${P50[none]}")
added_ours=$(added "${P50[ours]}" "${P50[none]}")
added_echo_cold=$(added "${P50[echo_cold]}" "${P50[none_cold]}")
added_ours_cold=$(added "${P50[ours_cold]}" "${P50[none_cold]}")
figure apiserver_added_ms_echo "$added_echo" "ms (p50 echo - p50 none)"
figure apiserver_added_ms_ours "$added_ours" "ms (p50 ours - p50 none)"
figure apiserver_added_ratio_vs_echo "$(ratio "$added_ours" "$added_echo")" "(target <= 1.5)"
figure apiserver_added_ms_ours_cold "$added_ours_cold" "ms (p50 ours - p50 none of the creates right after the restart: none ${P50[none_cold]}, echo ${P50[echo_cold]} ms)"
figure apiserver_added_ratio_vs_echo_cold "$(ratio "$added_ours_cold" "$added_echo_cold")" "(target <= 1.5; echo added $added_echo_cold ms in that phase)"
read -r sp50 scalls < <($TOOL server-hist "$MUTATE,$VALIDATE" "$WORK/ours-warm-before.prom" "$WORK/ours-warm-after.prom")
figure server_p50_ms_at_apiserver_rate "$sp50" "ms per call (our histogram, mutating + validating, $scalls calls; target <= 0.5)"
read -r sp50 scalls < <($TOOL server-hist "$MUTATE,$VALIDATE" "$WORK/ours-cold-before.prom" "$WORK/ours-cold-after.prom")
figure server_p50_ms_at_apiserver_rate_cold "$sp50" "ms per call (the first $scalls calls after a restart)"
for endpoint in "$MUTATE" "$VALIDATE"; do
  for phase in warm cold; do
    read -r sp50 scalls < <($TOOL server-hist "$endpoint" "$WORK/ours-$phase-before.prom" "$WORK/ours-$phase-after.prom")
    figure "server_p50_ms_${endpoint%%.*}_$phase" "$sp50" "ms ($scalls calls)"
  done
done
for phase in warm cold; do
  calls=$($TOOL calls "$WORK/ours-$phase-before.prom" "$WORK/ours-$phase-after.prom" "$MUTATE")
  figure "mutating_calls_per_create_$phase" "$(awk -v a="$calls" -v b="$N" 'BEGIN { printf "%.2f", a / b }')" "(ours, reinvocationPolicy IfNeeded)"
done
figure startup_to_ready_ms_cluster "$warm_ready_ms" "ms (first start), $cold_ready_ms ms (restart): informers synced, warm-up done"
grep -h -o 'warm-up: .*' "$WORK/server.log" "$WORK/server-cold.log" 2>/dev/null | head -2 | sed 's/^/server_log: /' || true
# The apiserver's own view: its webhook-call histogram (the whole call: connection, TLS, HTTP/2, the
# answer, and for a mutating webhook applying the patch), mean per webhook; le5 = share <= 5 ms.
for phase in warm cold; do
  while read -r name typ count mean le5; do
    [ -n "$name" ] || continue
    figure "apiserver_admission_webhook_admission_duration_seconds{name=\"$name\",type=\"$typ\",phase=\"$phase\"}" \
      "$(awk -v m="$mean" 'BEGIN { printf "%.4f", m / 1000 }')" "s mean ($count calls, $(awk -v f="$le5" 'BEGIN { printf "%.0f", f * 100 }')% <= 5 ms)"
  done < <($TOOL webhooks "$WORK/api-$phase-before.prom" "$WORK/api-$phase-after.prom")
done
if [ -s "$WORK/create-errors.log" ]; then
  log "$(wc -l <"$WORK/create-errors.log") creates failed: $(head -3 "$WORK/create-errors.log")"
fi
