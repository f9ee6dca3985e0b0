#!/usr/bin/env bash
# The real-apiserver section of `make bench` (alone: `make bench-apiserver`): what our webhooks add
# to a Function create through a real kube-apiserver, at the rate the apiserver sends reviews (one
# create after the other, as `kubectl create -f` of a multi-document file), warm and right after a
# fresh start. docs/benchmarks-apiserver.md says what the figures mean and holds the last run's.
#
#   1. the control plane of `make e2e` (test/e2e/control-plane.sh: etcd + kube-apiserver 1.20 on
#      127.0.0.1, state in a temp dir; started here, stopped at exit), the project's CRDs, the default
#      OFN Gateway openfunction/openfunction and its k8s Gateway;
#   2. our server (`./webhook serve --register-url`, the controller off so that no HTTPRoute writes run
#      during the measurement; --persist-generated-route=true) and a do-nothing pair
#      (dev.ofn.webhook.bench.UidEchoServer: the same Vert.x HTTPS listener, echoes the uid, allows),
#      registered for Functions with our configurations' rules, policies and selectors;
#   3. a warm-up round (BENCH_APISERVER_WARMUP creates per mode, not measured), then
#      BENCH_APISERVER_ROUNDS interleaved rounds of none / echo / ours (N creates per mode in all),
#      each create timed by the client (test/bench/apiserver_tool.py: one keep-alive HTTPS
#      connection, sub-millisecond times); then our server is restarted and the first N creates are
#      timed again (cold).
# Between modes the webhook configurations are swapped and a dry-run create proves the apiserver
# calls exactly the servers of the mode (its configuration informer lags by up to a second).
#
# Prints "name: value unit" lines; never fails the build on a timing. Skips with one line when no
# control plane can be had.
#
# Knobs: BENCH_APISERVER=0 (skip), BENCH_APISERVER_CREATES (N, default 300),
#   BENCH_APISERVER_ROUNDS (default 3), BENCH_APISERVER_WARMUP (per mode, default 100),
#   BENCH_APISERVER_SERVER_ARGS (more `webhook serve` arguments), BENCH_APISERVER_ECHO_ARGS (more
#   UidEchoServer arguments, for diagnosis), BENCH_KEEP=1 (keep the work dir),
#   OFN_E2E_USE_KUBECONFIG=1 (the throw-away cluster of $KUBECONFIG instead of starting one).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD

N=${BENCH_APISERVER_CREATES:-300}
ROUNDS=${BENCH_APISERVER_ROUNDS:-3}
WARMUP=${BENCH_APISERVER_WARMUP:-100}
NS=ofn-bench-$(date +%s)
# Modes measured in the rounds; "solo" (diagnosis) is our server in --standalone mode (no cluster
# connection, no informers) registered by URL like the echo pair.
MODES=${BENCH_APISERVER_MODES:-none echo ours}
TOOL="python3 $ROOT/test/bench/apiserver_tool.py"

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
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
CP="target/test-classes:target/classes:target/lib/*"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ofn-bench-apiserver.XXXXXX")
export OFN_E2E_STATE_DIR=$WORK/cluster
[ "${OFN_E2E_USE_KUBECONFIG:-0}" = 1 ] || export OFN_E2E_IGNORE_KUBECONFIG=1
CLUSTER_STARTED=0 SERVER_PID="" ECHO_PID="" SOLO_PID=""
cleanup() {
  set +e
  for pid in $SERVER_PID $ECHO_PID $SOLO_PID; do kill "$pid" 2>/dev/null; done
  for pid in $SERVER_PID $ECHO_PID $SOLO_PID; do wait "$pid" 2>/dev/null; done
  if [ -n "${KUBECONFIG:-}" ] && [ "$CLUSTER_STARTED" = 0 ]; then # someone else's cluster: tidy up
    kubectl delete mutatingwebhookconfiguration ofn-webhook ofn-bench-echo ofn-bench-solo --ignore-not-found >/dev/null 2>&1
    kubectl delete validatingwebhookconfiguration ofn-webhook ofn-bench-echo ofn-bench-solo --ignore-not-found >/dev/null 2>&1
    kubectl delete namespace "$NS" --wait=false --ignore-not-found >/dev/null 2>&1
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
for ns in openfunction ofn-webhook-system projectcontour "$NS"; do
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
SERVER_ARGS=(serve --kubeconfig "$KUBECONFIG" --host 127.0.0.1 --port "$PORT" --probe-port "$PROBE"
  --register-url "https://127.0.0.1:$PORT" --cert-dir "$WORK/certs" --shutdown-grace 0s
  --controller=false --persist-generated-route=true)
READY_MS=
start_server() { # $1 = log name
  local t0 i
  t0=$(date +%s%N)
  # shellcheck disable=SC2086
  ./webhook "${SERVER_ARGS[@]}" ${BENCH_APISERVER_SERVER_ARGS:-} </dev/null >"$WORK/$1.log" 2>&1 &
  SERVER_PID=$!
  for i in $(seq 1 6000); do
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
start_server server
kc get mutatingwebhookconfiguration ofn-webhook -o json >"$WORK/ours-m.raw.json"
kc get validatingwebhookconfiguration ofn-webhook -o json >"$WORK/ours-v.raw.json"
for k in m v; do
  $TOOL registration "$WORK/ours-$k.raw.json" "$WORK/ours-$k.json"
  $TOOL registration "$WORK/ours-$k.raw.json" "$WORK/echo-$k.json" "https://127.0.0.1:$ECHO_PORT" ofn-bench-echo-
done
sed -i 's/"name": "ofn-bench-echo-ofn-webhook"/"name": "ofn-bench-echo"/' "$WORK/echo-m.json" "$WORK/echo-v.json"
if [[ " $MODES " == *" solo "* ]]; then
  SOLO_PORT=$(free_port)
  SOLO_PROBE=$(free_port)
  for k in m v; do
    $TOOL registration "$WORK/ours-$k.raw.json" "$WORK/solo-$k.json" "https://127.0.0.1:$SOLO_PORT" ofn-bench-solo-
  done
  sed -i 's/"name": "ofn-bench-solo-ofn-webhook"/"name": "ofn-bench-solo"/' "$WORK/solo-m.json" "$WORK/solo-v.json"
  # shellcheck disable=SC2086
  ./webhook serve --standalone --host 127.0.0.1 --port "$SOLO_PORT" --probe-port "$SOLO_PROBE" --cert-dir "$WORK/certs" \
    --shutdown-grace 0s --persist-generated-route=true ${BENCH_APISERVER_SERVER_ARGS:-} </dev/null >"$WORK/solo.log" 2>&1 &
  SOLO_PID=$!
  for _ in $(seq 1 3000); do
    curl -sf -o /dev/null "http://127.0.0.1:$SOLO_PROBE/readyz" && break
    sleep 0.01
  done
fi
# shellcheck disable=SC2086
java $JAVA_FLAGS -cp "$CP" dev.ofn.webhook.bench.UidEchoServer "$ECHO_PORT" "$WORK/certs" ${BENCH_APISERVER_ECHO_ARGS:-} >"$WORK/echo.log" 2>&1 &
ECHO_PID=$!
for _ in $(seq 1 1000); do
  grep -q listening "$WORK/echo.log" 2>/dev/null && break
  kill -0 "$ECHO_PID" 2>/dev/null || { cat "$WORK/echo.log" >&2; exit 1; }
  sleep 0.01
done

scrape_ours() { curl -sf "http://127.0.0.1:$PROBE/metrics" >"$1" || : >"$1"; }
scrape_apiserver() { kc get --raw /metrics >"$1" 2>/dev/null || : >"$1"; }
MUTATE=mfunctions.of.io
VALIDATE=vfunctions.of.io
ours_calls() { metric_calls "$PROBE"; }
metric_calls() { # $1 = probe port: mutating calls so far
  curl -sf "http://127.0.0.1:$1/metrics" |
    awk -v e="$MUTATE" '$1 ~ /^ofn_webhook_requests_total\{/ && index($1, "endpoint=\"" e "\"") { n += $2 } END { print n + 0 }'
}
echo_calls() { curl -sfk "https://127.0.0.1:$ECHO_PORT/count" | awk '$1 ~ /^\/mutate/ { n += $2 } END { print n + 0 }'; }

# --- modes: which configurations are registered ---------------------------------------------------
MODE=
config() { # $1 = create|delete, $2 = ours|echo|solo
  local k kind name
  case $2 in ours) name=ofn-webhook ;; *) name=ofn-bench-$2 ;; esac
  for k in m v; do
    [ $k = m ] && kind=mutatingwebhookconfiguration || kind=validatingwebhookconfiguration
    if [ "$1" = create ]; then
      kc create -f "$WORK/$2-$k.json" >/dev/null 2>&1 || kc replace -f "$WORK/$2-$k.json" >/dev/null
    else
      kc delete "$kind" "$name" --ignore-not-found >/dev/null
    fi
  done
}
calls_of() { # $1 = ours|echo|solo: mutating calls that server answered so far
  case $1 in
    ours) ours_calls ;;
    echo) echo_calls ;;
    solo) [ -n "$SOLO_PID" ] && metric_calls "$SOLO_PROBE" || echo 0 ;;
  esac
}
probe_n=0
# One dry-run create; true when it reached exactly the server of mode $1 (none: no server).
effective() {
  local s before=() after=() i=0 ok=0
  for s in ours echo solo; do before+=("$(calls_of $s)"); done
  probe_n=$((probe_n + 1))
  $TOOL creates "$WORK/kubeconfig.json" "$WORK/function.json" "$NS" "probe-$probe_n" 1 "$WORK/probe.txt" dry-run 2>/dev/null
  for s in ours echo solo; do after+=("$(calls_of $s)"); done
  for s in ours echo solo; do
    if [ "$s" = "$1" ]; then
      [ "${after[$i]}" != "${before[$i]}" ] || return 1
    else
      [ "${after[$i]}" = "${before[$i]}" ] || return 1
    fi
    i=$((i + 1))
  done
}
switch_to() { # none|echo|ours|solo
  [ "$MODE" = "$1" ] && return 0
  local s i ok=0
  for s in ours echo solo; do [ "$s" = "$1" ] || config delete "$s"; done
  [ "$1" = none ] || config create "$1"
  for i in $(seq 1 60); do
    # twice in a row: "none" is also what a configuration not yet seen looks like
    if effective "$1" && effective "$1"; then ok=1; break; fi
    sleep 0.25
  done
  [ "$ok" = 1 ] || log "mode $1: the apiserver's calls still do not match after 15 s"
  MODE=$1
}

run_creates() { # $1 = mode, $2 = label, $3 = count
  $TOOL creates "$WORK/kubeconfig.json" "$WORK/function.json" "$NS" "$1-$2" "$3" "$WORK/t-$1-$2.txt" 2>>"$WORK/create-errors.log"
}

# --- measurement ----------------------------------------------------------------------------------
log "warm-up: $WARMUP creates per mode, then $ROUNDS interleaved rounds of ${MODES// //}, $N creates per mode"
for mode in $MODES; do
  switch_to "$mode"
  run_creates "$mode" warmup "$WARMUP"
done
per_round=$(( (N + ROUNDS - 1) / ROUNDS ))
OURS_PAIRS=() SOLO_PAIRS=()
mutate_calls_ours=0 mutate_calls_echo=0
load_min=$(cut -d' ' -f1 /proc/loadavg) load_max=$load_min
for round in $(seq 1 "$ROUNDS"); do
  for mode in $MODES; do
    switch_to "$mode"
    scrape_apiserver "$WORK/api-$mode-$round-before.prom"
    scrape_ours "$WORK/ours-$mode-$round-before.prom"
    [ -z "$SOLO_PID" ] || curl -sf "http://127.0.0.1:$SOLO_PROBE/metrics" >"$WORK/solo-$round-before.prom" || true
    e0=$(echo_calls)
    run_creates "$mode" "r$round" "$per_round"
    e1=$(echo_calls)
    scrape_ours "$WORK/ours-$mode-$round-after.prom"
    [ -z "$SOLO_PID" ] || curl -sf "http://127.0.0.1:$SOLO_PROBE/metrics" >"$WORK/solo-$round-after.prom" || true
    [ "$mode" = solo ] && SOLO_PAIRS+=("$WORK/solo-$round-before.prom" "$WORK/solo-$round-after.prom")
    scrape_apiserver "$WORK/api-$mode-$round-after.prom"
    if [ "$mode" = ours ]; then
      OURS_PAIRS+=("$WORK/ours-$mode-$round-before.prom" "$WORK/ours-$mode-$round-after.prom")
      mutate_calls_ours=$((mutate_calls_ours + $($TOOL calls "$WORK/ours-$mode-$round-before.prom" "$WORK/ours-$mode-$round-after.prom" "$MUTATE")))
    fi
    [ "$mode" = echo ] && mutate_calls_echo=$((mutate_calls_echo + e1 - e0))
    load=$(cut -d' ' -f1 /proc/loadavg)
    load_min=$(awk -v a="$load_min" -v b="$load" 'BEGIN { print (b < a ? b : a) }')
    load_max=$(awk -v a="$load_max" -v b="$load" 'BEGIN { print (b > a ? b : a) }')
  done
done
creates_ours=$(( per_round * ROUNDS )) creates_echo=$(( per_round * ROUNDS ))

# Cold: a fresh process (same port and certificates: the registration stays as it is), the first N.
switch_to ours
stop_server
start_server server-cold
cold_ready_ms=$READY_MS
scrape_apiserver "$WORK/api-cold-before.prom"
scrape_ours "$WORK/cold-before.prom"
run_creates ours cold "$N"
scrape_ours "$WORK/cold-after.prom"
scrape_apiserver "$WORK/api-cold-after.prom"
cold_mutate_calls=$($TOOL calls "$WORK/cold-before.prom" "$WORK/cold-after.prom" "$MUTATE")

# --- figures --------------------------------------------------------------------------------------
figure apiserver_kubernetes "$APISERVER_VERSION"
figure apiserver_creates_per_mode "$(( per_round * ROUNDS ))" "(${ROUNDS} interleaved rounds of $per_round after $WARMUP unmeasured; cold: the first $N after a restart)"
figure apiserver_load_avg_1m "$load_min-$load_max" "(min-max during the rounds, $(nproc) cores)"
declare -A P50 P99
for mode in $MODES; do
  read -r p50 p90 p99 max n failed warned < <($TOOL pct "$WORK"/t-"$mode"-r*.txt)
  P50[$mode]=$p50 P99[$mode]=$p99
  rounds_p50=$(for r in $(seq 1 "$ROUNDS"); do $TOOL pct "$WORK/t-$mode-r$r.txt" | cut -d' ' -f1; done | paste -sd, -)
  figure "apiserver_create_p50_ms_$mode" "$p50" "ms (p90 $p90, max $max; rounds' p50s $rounds_p50; $n created, $failed failed, $warned warnings)"
done
read -r p50 p90 p99 max n failed warned < <($TOOL pct "$WORK/t-ours-cold.txt")
P50[ours_cold]=$p50 P99[ours_cold]=$p99
figure apiserver_create_p50_ms_ours_cold "$p50" "ms (p90 $p90, max $max; $n created, $failed failed, $warned warnings; first $N creates, server ready in $cold_ready_ms ms)"
for mode in none echo ours ours_cold; do
  figure "apiserver_create_p99_ms_$mode" "${P99[$mode]}" ms
done
added() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a - b }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
added_echo=$(added "${P50[echo]}" "${P50[none]}")
added_ours=$(added "${P50[ours]}" "${P50[none]}")
added_cold=$(added "${P50[ours_cold]}" "${P50[none]}")
figure apiserver_added_ms_echo "$added_echo" "ms (p50 echo - p50 none)"
figure apiserver_added_ms_ours "$added_ours" "ms (p50 ours - p50 none)"
figure apiserver_added_ms_ours_cold "$added_cold" "ms (p50 ours cold - p50 none)"
figure apiserver_added_ratio_vs_echo "$(ratio "$added_ours" "$added_echo")" "(target <= 1.5)"
figure apiserver_added_ratio_vs_echo_cold "$(ratio "$added_cold" "$added_echo")" "(target <= 1.5)"
if [ -n "$SOLO_PID" ]; then
  added_solo=$(added "${P50[solo]}" "${P50[none]}")
  figure apiserver_added_ms_solo "$added_solo" "ms (p50 solo - p50 none: our server without a cluster connection)"
  figure apiserver_added_ratio_vs_echo_solo "$(ratio "$added_solo" "$added_echo")"
  read -r sp50 scalls < <($TOOL server-hist "$MUTATE,$VALIDATE" "${SOLO_PAIRS[@]}")
  figure server_p50_ms_solo "$sp50" "ms per call ($scalls calls)"
fi
read -r sp50 scalls < <($TOOL server-hist "$MUTATE,$VALIDATE" "${OURS_PAIRS[@]}")
figure server_p50_ms_at_apiserver_rate "$sp50" "ms per call (our histogram, mutating + validating, $scalls calls of the warm rounds; target <= 0.5)"
read -r sp50 scalls < <($TOOL server-hist "$MUTATE,$VALIDATE" "$WORK/cold-before.prom" "$WORK/cold-after.prom")
figure server_p50_ms_at_apiserver_rate_cold "$sp50" "ms per call (the $scalls calls of the first $N creates after a restart)"
for endpoint in "$MUTATE" "$VALIDATE"; do
  read -r sp50 scalls < <($TOOL server-hist "$endpoint" "${OURS_PAIRS[@]}")
  figure "server_p50_ms_${endpoint%%.*}" "$sp50" "ms ($scalls calls, warm)"
  read -r sp50 scalls < <($TOOL server-hist "$endpoint" "$WORK/cold-before.prom" "$WORK/cold-after.prom")
  figure "server_p50_ms_${endpoint%%.*}_cold" "$sp50" "ms ($scalls calls, cold)"
done
figure mutating_calls_per_create_ours "$(awk -v a="$mutate_calls_ours" -v b="$creates_ours" 'BEGIN { printf "%.2f", a / b }')" \
  "(reinvocationPolicy IfNeeded; cold: $(awk -v a="$cold_mutate_calls" -v b="$N" 'BEGIN { printf "%.2f", a / b }'))"
figure mutating_calls_per_create_echo "$(awk -v a="$mutate_calls_echo" -v b="$creates_echo" 'BEGIN { printf "%.2f", a / b }')"
# The apiserver's own view: its webhook-call histogram (whole call: connection, TLS, HTTP/2, our
# answer), mean per webhook over the measured creates of each mode; le5 = share of calls <= 5 ms.
for mode in $MODES cold; do
  [ "$mode" = none ] && continue
  if [ "$mode" = cold ]; then
    rows=$($TOOL webhooks "$WORK/api-cold-before.prom" "$WORK/api-cold-after.prom")
  else
    rows=$(for r in $(seq 1 "$ROUNDS"); do
      $TOOL webhooks "$WORK/api-$mode-$r-before.prom" "$WORK/api-$mode-$r-after.prom"
    done | awk '{ k = $1 " " $2; c[k] += $3; s[k] += $3 * $4; l[k] += $3 * $5 } END { for (k in c) printf "%s %d %.2f %.2f\n", k, c[k], s[k] / c[k], l[k] / c[k] }' | sort)
  fi
  while read -r name typ count mean le5; do
    [ -n "$name" ] || continue
    figure "apiserver_admission_webhook_admission_duration_seconds{name=\"$name\",type=\"$typ\",mode=\"$mode\"}" \
      "$(awk -v m="$mean" 'BEGIN { printf "%.4f", m / 1000 }')" "s mean ($count calls, $(awk -v f="$le5" 'BEGIN { printf "%.0f", f * 100 }')% <= 5 ms)"
  done <<<"$rows"
done
if [ -s "$WORK/create-errors.log" ]; then
  log "some creates failed: $(head -3 "$WORK/create-errors.log")"
fi
