#!/usr/bin/env bash
# make bench: speed and footprint figures from one run on this machine, one "name: value unit" line each.
# Prints, never asserts (timing must not fail a build). Targets, for the reader: ratios >= 0.7,
# p99 < 2 ms at half load, conflict ratio <= 1.2, ready < 1.5 s, RSS < 200 MB. README.md, "Measured",
# says what each figure means and holds the last run's. The last section is test/bench/apiserver.sh
# (docs/benchmarks-apiserver.md): creates through a real kube-apiserver; its knobs are BENCH_APISERVER_*.
#
# Knobs (environment): BENCH_SECONDS (measured seconds per throughput run, default 5), BENCH_ROUNDS
# (interleaved rounds of the four throughput runs, default 3),
# BENCH_WARMUP (unmeasured seconds of the same load before each, default 10), BENCH_CONNECTIONS
# (default 4), BENCH_STREAMS (per connection, default 8),
# BENCH_LATENCY_SECONDS (default 15), BENCH_LATENCY_CONNECTIONS (default 16), BENCH_ROUTES (default 100000), BENCH_KEEP=1 keeps the work dir.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

SECONDS_PER_RUN=${BENCH_SECONDS:-5}
ROUNDS=${BENCH_ROUNDS:-3}
WARMUP_ROUND=${BENCH_WARMUP:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-4}
STREAMS=${BENCH_STREAMS:-8}
LATENCY_SECONDS=${BENCH_LATENCY_SECONDS:-15}
LATENCY_CONNECTIONS=${BENCH_LATENCY_CONNECTIONS:-16}
ROUTES=${BENCH_ROUTES:-100000}

JAR=target/ofn-webhook.jar
[ -f "$JAR" ] && [ -d target/test-classes/dev/ofn/webhook/bench ] || { echo "bench: run 'make build' first" >&2; exit 2; }
# The launcher's own JVM flags, so the echo server and helpers run exactly as ./webhook does.
JAVA_FLAGS=$(sed -n 's/^DEFAULT_JAVA_OPTS="\(.*\)"$/\1/p' webhook)
JAVA_FLAGS=${JAVA_OPTS:-$JAVA_FLAGS}
# The launcher's JVM (a Java 25 when there is one), for the echo server and the bench tools too: every
# figure of a run comes from one JVM.
JAVA_BIN=${JAVA:-$(bash scripts/find-java.sh 25 || echo java)}
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" # as the launcher
CP="target/test-classes:target/classes:target/lib/*"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ofn-bench.XXXXXX")
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench: logs kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "bench: $*" >&2; }
figure() { echo "$1: $2${3:+ $3}"; }
ms_now() { echo $(( $(date +%s%N) / 1000000 )); }

# --- tools ----------------------------------------------------------------------------------------
if ! command -v h2load >/dev/null; then
  log "installing h2load (Debian nghttp2-client)"
  { apt-get install -y -q nghttp2-client || { apt-get update -q && apt-get install -y -q nghttp2-client; }; } >"$WORK/apt.log" 2>&1 \
    || log "could not install h2load (see $WORK/apt.log): throughput falls back to the Java LoadClient"
fi
command -v curl >/dev/null || { log "curl is needed"; exit 2; }

# shellcheck source=scripts/free-port.sh
source scripts/free-port.sh

# Polls until the probe port says ready; prints the milliseconds since $1 (epoch ms).
wait_ready() {
  local since=$1 probe=$2 pid=$3
  for _ in $(seq 1 3000); do
    if curl -sf -o /dev/null "http://127.0.0.1:$probe/readyz"; then
      echo $(( $(ms_now) - since ))
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { log "process $pid died"; return 1; }
    sleep 0.01
  done
  log "not ready after 30 s"
  return 1
}

# CPU milliseconds (user + system) a process has used so far.
cpu_ms() {
  local ticks
  ticks=$(awk '{print $14 + $15}' "/proc/$1/stat")
  echo $(( ticks * 1000 / $(getconf CLK_TCK) ))
}

rss_mb() { awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

SERVER_PID=
start_server() { # $1 = log name; sets SERVER_PID, PORT, PROBE, READY_MS (launch to /readyz 200), READY_CPU_MS
  PORT=$(free_port)
  PROBE=$(free_port)
  local t0
  t0=$(ms_now)
  # shellcheck disable=SC2086 # SERVER_ENV: assignments for env
  env ${SERVER_ENV:-} ./webhook serve --standalone --host 127.0.0.1 --port "$PORT" --probe-port "$PROBE" --certs-dir "$WORK/certs" \
    --shutdown-grace 0s >"$WORK/$1.log" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  READY_MS=$(wait_ready "$t0" "$PROBE" "$SERVER_PID")
  READY_CPU_MS=$(cpu_ms "$SERVER_PID")
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
}

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# --- context --------------------------------------------------------------------------------------
figure cores "$(nproc)"
figure load_avg_1m "$(cut -d' ' -f1 /proc/loadavg)"
figure java "$("$JAVA_BIN" -version 2>&1 | head -1 | sed 's/.*version "\([^"]*\)".*/\1/')"
figure jvm_flags "\"$JAVA_FLAGS\""

# --- startup --------------------------------------------------------------------------------------
# Cold: no certificates yet, so this start also generates a CA and a serving certificate.
start_server cold
cold=$READY_MS
cold_cpu=$READY_CPU_MS
stop_server
warm=()
warm_cpu=()
for i in 1 2 3; do
  start_server "warm$i"
  warm+=("$READY_MS")
  warm_cpu+=("$READY_CPU_MS")
  [ "$i" = 3 ] || stop_server
done
figure startup_to_ready_ms "$(printf '%s\n' "${warm[@]}" | median)" "ms (median of 3, certs present: ${warm[*]}; includes the warm-up)"
figure startup_to_ready_cpu_ms "$(printf '%s\n' "${warm_cpu[@]}" | median)" "ms (user+sys CPU until ready)"
figure startup_cold_to_ready_ms "$cold" "ms (fresh certs generated)"
figure startup_cold_to_ready_cpu_ms "$cold_cpu" "ms"
figure rss_mb_ready "$(rss_mb "$SERVER_PID")" MB
SERVER_LOG="$WORK/warm3.log"
# The warm-up's share of the start (admission/WarmUp, before ready): the same starts without it.
stop_server
nowarm=()
nowarm_cpu=()
for i in 1 2 3; do
  SERVER_ENV=OFN_WEBHOOK_WARMUP=0 start_server "nowarm$i"
  nowarm+=("$READY_MS")
  nowarm_cpu+=("$READY_CPU_MS")
  stop_server
done
figure startup_to_ready_ms_no_warmup "$(printf '%s\n' "${nowarm[@]}" | median)" "ms (median of 3: ${nowarm[*]}; OFN_WEBHOOK_WARMUP=0)"
figure startup_to_ready_cpu_ms_no_warmup "$(printf '%s\n' "${nowarm_cpu[@]}" | median)" ms
figure warmup_log "\"$(grep -h -o 'warm-up: .*' "$WORK/warm3.log" | head -1)\""
start_server warm4
SERVER_LOG="$WORK/warm4.log"

# --- bodies and the echo server -------------------------------------------------------------------
# shellcheck disable=SC2086
"$JAVA_BIN" $JAVA_FLAGS -cp "$CP" -Dfixtures.dir=test/fixtures dev.ofn.webhook.bench.ReviewBodies "$WORK/bodies"
ECHO_PORT=$(free_port)
# shellcheck disable=SC2086
"$JAVA_BIN" $JAVA_FLAGS -cp "$CP" dev.ofn.webhook.bench.EchoServer "$ECHO_PORT" "$WORK/certs" >"$WORK/echo.log" 2>&1 &
ECHO_PID=$!
PIDS+=("$ECHO_PID")
for _ in $(seq 1 1000); do
  grep -q listening "$WORK/echo.log" 2>/dev/null && break
  kill -0 "$ECHO_PID" 2>/dev/null || { cat "$WORK/echo.log" >&2; exit 1; }
  sleep 0.01
done

# --- throughput -----------------------------------------------------------------------------------
# h2load: HTTP/2 over TLS (the apiserver's webhook client speaks HTTP/2), CONNECTIONS connections x
# STREAMS concurrent streams, one client thread, keep-alive. Each endpoint first gets WARMUP_ROUND
# seconds of the same load, unmeasured: the JIT needs that long on 2 busy cores (a
# cold server answers its first seconds at about half its speed).
H2LOAD_OUT=
h2() { # $1 = port, $2 = path, $3 = body file, then h2load's own flags; sets H2LOAD_OUT
  local port=$1 path=$2 body=$3
  shift 3
  H2LOAD_OUT=$(h2load -t 1 -c "${H2_CONNECTIONS:-$CONNECTIONS}" -H 'content-type: application/json' -d "$body" "$@" \
    "https://127.0.0.1:$port$path?timeout=10s" 2>&1) || { log "h2load failed on $path: $H2LOAD_OUT"; return 1; }
  grep -qE '^status codes: [0-9]+ 2xx, 0 3xx, 0 4xx, 0 5xx' <<<"$H2LOAD_OUT" \
    && grep -qE ' 0 failed, 0 errored, 0 timeout' <<<"$H2LOAD_OUT" || log "not every answer was 2xx on $path: $(grep -E '^(requests|status codes)' <<<"$H2LOAD_OUT" | tr '\n' ' ')"
}
RPS= CPU_US=
measure() { # $1 = pid, $2 = port, $3 = path, $4 = body file, $5 = seconds; sets RPS and CPU_US (server CPU per request)
  if command -v h2load >/dev/null; then
    local cpu0 done_
    cpu0=$(cpu_ms "$1")
    h2 "$2" "$3" "$4" -m "$STREAMS" -D "$5" || { RPS=0 CPU_US=n/a; return; }
    done_=$(sed -n 's/^requests: .* \([0-9]*\) done.*/\1/p' <<<"$H2LOAD_OUT")
    RPS=$(sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p' <<<"$H2LOAD_OUT" | cut -d. -f1)
    CPU_US=$(awk -v ms=$(( $(cpu_ms "$1") - cpu0 )) -v n="$done_" 'BEGIN { if (n > 0) printf "%.1f", ms * 1000 / n; else print "n/a" }')
  else
    # shellcheck disable=SC2086
    RPS=$("$JAVA_BIN" $JAVA_FLAGS -cp "$CP" dev.ofn.webhook.bench.LoadClient mode=max "url=https://127.0.0.1:$2$3" \
      "ca=$WORK/certs/ca.crt" "body=$4" "connections=$CONNECTIONS" "inflight=$(( CONNECTIONS * STREAMS ))" \
      warmup=1 "duration=$5" | sed -n 's/^rps: \([0-9]*\).*/\1/p')
    CPU_US=n/a
  fi
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
median_of() { printf '%s\n' "$@" | { grep -v n/a || true; } | median; }

# The machine's speed drifts (a shared VM: the echo server alone has measured 60,000-108,000 req/s
# on different runs), so the endpoints are measured in ROUNDS interleaved rounds of echo, mutate,
# validate, validate; each ratio is taken within its round, and the medians are printed.
TARGETS=(echo:/mutate-core-openfunction-io-v1beta2-function:mutate_function
         mutate_function:/mutate-core-openfunction-io-v1beta2-function:mutate_function
         validate_function:/validate-core-openfunction-io-v1beta2-function:validate_function
         validate_httproute:/validate-gateway-networking-k8s-io-v1-httproute:validate_httproute)
declare -A RPS_OF CPU_OF RATIO_OF
# Warm-up, unmeasured. Each JVM gets the same total: the server's TLS and HTTP/2 code warms during
# all three of its endpoints' warm-ups, so the echo server gets three in one go (with only one, its
# first round measured 60-70% of its speed), last, so that it starts round 1 as warm as the server.
for target in "${TARGETS[@]:1}" "${TARGETS[0]}"; do
  IFS=: read -r name path body <<<"$target"
  if [ "$name" = echo ]; then
    measure "$ECHO_PID" "$ECHO_PORT" "$path" "$WORK/bodies/$body.json" $(( WARMUP_ROUND * (${#TARGETS[@]} - 1) ))
  else
    measure "$SERVER_PID" "$PORT" "$path" "$WORK/bodies/$body.json" "$WARMUP_ROUND"
  fi
done
for round in $(seq 1 "$ROUNDS"); do
  for target in "${TARGETS[@]}"; do
    IFS=: read -r name path body <<<"$target"
    if [ "$name" = echo ]; then pid=$ECHO_PID port=$ECHO_PORT; else pid=$SERVER_PID port=$PORT; fi
    measure "$pid" "$port" "$path" "$WORK/bodies/$body.json" "$SECONDS_PER_RUN"
    RPS_OF[$name]+=" $RPS"
    CPU_OF[$name]+=" $CPU_US"
    [ "$name" = echo ] && round_echo=$RPS || RATIO_OF[$name]+=" $(ratio "$RPS" "$round_echo")"
  done
done
# shellcheck disable=SC2086
echo_rps=$(median_of ${RPS_OF[echo]})
figure echo_rps "$echo_rps" "req/s (median of$(tr ' ' ',' <<<"${RPS_OF[echo]}" | sed 's/^,/ /; s/,/, /g'))"
# shellcheck disable=SC2086
figure echo_server_cpu_us "$(median_of ${CPU_OF[echo]})" "us per request (TLS, HTTP/2, Vert.x: the floor under every endpoint)"
for name in mutate_function validate_function validate_httproute; do
  # shellcheck disable=SC2086
  value=$(median_of ${RPS_OF[$name]})
  eval "${name}_rps=$value"
  figure "${name}_rps" "$value" "req/s (median of$(tr ' ' ',' <<<"${RPS_OF[$name]}" | sed 's/^,/ /; s/,/, /g'))"
  # shellcheck disable=SC2086
  figure "${name}_ratio_vs_echo" "$(median_of ${RATIO_OF[$name]})" "(median of the rounds':${RATIO_OF[$name]})"
  # shellcheck disable=SC2086
  figure "${name}_server_cpu_us" "$(median_of ${CPU_OF[$name]})" "us per request"
done

# --- latency at half the mutating endpoint's maximum ----------------------------------------------
# h2load --rps paces LATENCY_CONNECTIONS connections (up to 8 streams each, as the apiserver
# multiplexes); --log-file records every request's latency, the percentiles are taken from it (the
# first 2 s left out). The echo server gets the same paced load first: its percentiles are the floor
# this harness measures on a 2-core machine where client and server share the cores.
# shellcheck disable=SC2154
half=$(( mutate_function_rps / 2 ))
[ "$half" -gt 0 ] || half=100
figure latency_target_rps "$half" req/s
latency() { # $1 = pid, $2 = port, $3 = path, $4 = body, $5 = figure prefix
  rm -f "$WORK/latency.log"
  H2_CONNECTIONS=$LATENCY_CONNECTIONS h2 "$2" "$3" "$4" -m 8 --rps "$(( (half + LATENCY_CONNECTIONS - 1) / LATENCY_CONNECTIONS ))" \
    -D "$LATENCY_SECONDS" --log-file "$WORK/latency.log" >/dev/null || true
  [ -s "$WORK/latency.log" ] || { figure "${5}p99_ms" n/a "(h2load wrote no log)"; return; }
  # log columns: start (us since epoch), status, latency (us)
  awk -F'\t' 'NR == 1 { t0 = $1 } $1 >= t0 + 2000000 { print $3; if ($2 != 200) bad++ } END { print bad + 0 > "/dev/stderr" }' \
    "$WORK/latency.log" 2>"$WORK/latency.bad" | sort -n >"$WORK/latency.sorted"
  pct() { awk -v p="$1" '{ a[NR] = $1 } END { i = int(NR * p); if (i < 1) i = 1; if (NR) printf "%.2f", a[i] / 1000; else print "n/a" }' "$WORK/latency.sorted"; }
  figure "${5}p50_ms" "$(pct 0.50)" ms
  figure "${5}p99_ms" "$(pct 0.99)" ms
  figure "${5}p999_ms" "$(pct 0.999)" ms
  figure "${5}latency_achieved_rps" "$(sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p' <<<"$H2LOAD_OUT" | cut -d. -f1)" \
    "req/s ($(wc -l <"$WORK/latency.sorted") requests measured, $(cat "$WORK/latency.bad") not 200, max $(pct 1) ms)"
}
if command -v h2load >/dev/null; then
  latency "$ECHO_PID" "$ECHO_PORT" /mutate-core-openfunction-io-v1beta2-function "$WORK/bodies/mutate_function.json" echo_
  latency "$SERVER_PID" "$PORT" /mutate-core-openfunction-io-v1beta2-function "$WORK/bodies/mutate_function.json" ""
else
  # shellcheck disable=SC2086
  "$JAVA_BIN" $JAVA_FLAGS -cp "$CP" dev.ofn.webhook.bench.LoadClient mode=rate \
    "url=https://127.0.0.1:$PORT/mutate-core-openfunction-io-v1beta2-function" "ca=$WORK/certs/ca.crt" \
    "body=$WORK/bodies/mutate_function.json" "rate=$half" "connections=$LATENCY_CONNECTIONS" \
    warmup=5 "duration=$LATENCY_SECONDS" prefix=latency_ >"$WORK/latency.txt"
  for key in achieved_rps p50_ms p99_ms p999_ms max_ms errors; do
    line=$(grep "^latency_$key:" "$WORK/latency.txt" || echo "latency_$key: n/a")
    case $key in
      p50_ms | p99_ms | p999_ms) echo "${line#latency_}" ;;
      *) echo "$line" ;;
    esac
  done
fi
kill "$ECHO_PID" 2>/dev/null || true
wait "$ECHO_PID" 2>/dev/null || true

# --- footprint ------------------------------------------------------------------------------------
sleep 2
figure rss_mb_idle "$(rss_mb "$SERVER_PID")" "MB (after the load above)"
blocked=$(grep -c -E 'BlockedThreadChecker|has been blocked' "$SERVER_LOG" || true)
figure blocked_thread_warnings "$blocked" "(Vert.x blocked-thread checker, server log)"
errors=$(grep -c -E '\[ERROR\]|Exception' "$SERVER_LOG" || true)
figure server_log_errors "$errors"

# --- conflict index (routing): runs once ConflictIndexBench exists -------------------------------
# test/java/dev/ofn/webhook/routing/ConflictIndexBench.java (@Tag("bench"), excluded from make test)
# prints "conflict_check_us_<routes>: <x> us" and the index's bytes per route. It runs here outside
# surefire, with the launcher's JVM flags, through dev.ofn.webhook.bench.RunMethod.
if [ -f target/test-classes/dev/ofn/webhook/routing/ConflictIndexBench.class ]; then
  # shellcheck disable=SC2086
  "$JAVA_BIN" $JAVA_FLAGS -cp "$CP" dev.ofn.webhook.bench.RunMethod dev.ofn.webhook.routing.ConflictIndexBench \
    conflictCheckAtScale >"$WORK/conflict.txt" 2>"$WORK/conflict.err" || log "ConflictIndexBench failed: $(tail -3 "$WORK/conflict.err")"
  conflict() { sed -n "s/^$1: \([0-9.]*\).*/\1/p" "$WORK/conflict.txt"; }
  c10=$(conflict conflict_check_us_10)
  c100k=$(conflict conflict_check_us_100000)
  figure conflict_check_us_10 "${c10:-n/a}" us
  figure conflict_check_us_1000 "$(conflict conflict_check_us_1000)" us
  figure conflict_check_us_100000 "${c100k:-n/a}" us
  figure conflict_check_ratio_100000_vs_10 "$( [ -n "$c10" ] && [ -n "$c100k" ] && ratio "$c100k" "$c10" || echo n/a)"
  figure index_bytes_per_route_100000 "$(conflict index_bytes_per_route_100000)" "B (heap held by the index per Function route, 2 keys each)"
  # The same for a GRPCRoute (cross-serving included) among GRPCRoutes and HTTPRoutes on one Gateway.
  # shellcheck disable=SC2086
  "$JAVA_BIN" $JAVA_FLAGS -cp "$CP" dev.ofn.webhook.bench.RunMethod dev.ofn.webhook.routing.ConflictIndexBench \
    grpcConflictCheckAtScale >"$WORK/grpc.txt" 2>"$WORK/grpc.err" || log "ConflictIndexBench (gRPC) failed: $(tail -3 "$WORK/grpc.err")"
  grpc() { sed -n "s/^$1: \([0-9.]*\).*/\1/p" "$WORK/grpc.txt"; }
  g10=$(grpc grpc_conflict_check_us_10)
  g100k=$(grpc grpc_conflict_check_us_100000)
  figure grpc_conflict_check_us_10 "${g10:-n/a}" us
  figure grpc_conflict_check_us_1000 "$(grpc grpc_conflict_check_us_1000)" us
  figure grpc_conflict_check_us_100000 "${g100k:-n/a}" us
  figure grpc_conflict_check_ratio_100000_vs_10 "$( [ -n "$g10" ] && [ -n "$g100k" ] && ratio "$g100k" "$g10" || echo n/a)"
else
  figure conflict_check_us_10 n/a "(ConflictIndexBench not in this build)"
  figure conflict_check_us_100000 n/a
  figure conflict_check_ratio_100000_vs_10 n/a
fi

# --- the core alone ------------------------------------------------------------------------------
# Decode, handler, encode on one thread without the network, in thread CPU time (other processes on
# the machine barely move it): what the server adds per request on top of the echo server's work.
# shellcheck disable=SC2086
"$JAVA_BIN" $JAVA_FLAGS -cp "$CP" dev.ofn.webhook.bench.HotPath "$WORK/bodies" 2 2>"$WORK/hotpath.err" \
  | sed 's/; sink [0-9]*//' || log "HotPath failed: $(tail -3 "$WORK/hotpath.err")"

# --- RSS holding many routes ----------------------------------------------------------------------
# Standalone, the validating Function endpoint keeps what it admitted in the in-memory conflict index:
# a few distinct Functions first, to see that it grows (else the figure would mean nothing), then the fill.
index_size() { curl -sf "http://127.0.0.1:$PROBE/metrics" | awk '/^ofn_webhook_conflict_index_routes / {print int($2)}'; }
# shellcheck disable=SC2086
"$JAVA_BIN" $JAVA_FLAGS -cp "$CP" -Dfixtures.dir=test/fixtures dev.ofn.webhook.bench.LoadClient mode=distinct count=20 \
  "url=https://127.0.0.1:$PORT/validate-core-openfunction-io-v1beta2-function" "ca=$WORK/certs/ca.crt" \
  connections=1 inflight=4 >/dev/null
if [ "$(index_size)" -gt 0 ] 2>/dev/null; then
  t0=$(ms_now)
  # shellcheck disable=SC2086
  "$JAVA_BIN" $JAVA_FLAGS -cp "$CP" -Dfixtures.dir=test/fixtures dev.ofn.webhook.bench.LoadClient mode=distinct \
    "count=$ROUTES" "url=https://127.0.0.1:$PORT/validate-core-openfunction-io-v1beta2-function" \
    "ca=$WORK/certs/ca.crt" "connections=$CONNECTIONS" inflight=32 prefix=fill_ >"$WORK/fill.txt"
  sleep 2
  figure "rss_mb_${ROUTES}_routes" "$(rss_mb "$SERVER_PID")" "MB ($(index_size) index keys, filled in $(( $(ms_now) - t0 )) ms, $(sed -n 's/^fill_errors: //p' "$WORK/fill.txt") errors)"
else
  figure "rss_mb_${ROUTES}_routes" n/a "(the conflict index is not wired to admission yet)"
fi

# --- through a real apiserver ---------------------------------------------------------------------
# test/bench/apiserver.sh (alone: make bench-apiserver): what our webhooks add to a Function create
# through e2e's kube-apiserver, warm and cold; one "apiserver: SKIPPED (...)" line without one.
stop_server
bash test/bench/apiserver.sh || log "apiserver section failed (exit $?)"

# --- the controller -------------------------------------------------------------------------------
# test/bench/controller.sh (alone: make bench-controller): 500 Functions made Running, the controller's
# writes against kubectl's for the same objects, and its memory (docs/benchmarks-controller.md).
bash test/bench/controller.sh || log "controller section failed (exit $?)"
