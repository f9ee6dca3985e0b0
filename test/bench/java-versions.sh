#!/usr/bin/env bash
# Java 17 vs Java 25, side by side in one run (docs/benchmarks.md, "Java 25"): start to ready with
# certificates present, CPU until ready and RSS at ready, for
#   17       the launcher as shipped before Java 25: Java 17, the dynamic class-data archive
#   25       Java 25, the JDK's own class-data only
#   25-aot   Java 25 with an AOT cache (JEP 483/514/515) trained by the `cds-training` workload
#   25-aot-coh  the same with compact object headers (JEP 519; the cache is trained with them too)
# interleaved over BENCH_ROUNDS rounds (default 7), medians printed; then the conflict index's heap
# bytes per route (ConflictIndexBench) under 17, 25 and 25 with compact headers.
# JAVA17 / JAVA25 name the two `java` binaries (defaults: `java` and the newest JDK 25 under
# /usr/lib/jvm). Prints, never asserts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

ROUNDS=${BENCH_ROUNDS:-7}
JAVA17=${JAVA17:-java}
JAVA25=${JAVA25:-$(bash scripts/find-java.sh 25 || true)}
[ -n "$JAVA25" ] || { echo "java-versions: no JDK 25 found (set JAVA25)" >&2; exit 2; }
JAR=target/ofn-webhook.jar
[ -f "$JAR" ] || { echo "java-versions: run 'make build' first" >&2; exit 2; }
FLAGS=$(sed -n 's/^DEFAULT_JAVA_OPTS="\(.*\)"$/\1/p' webhook)
FLAGS=${FLAGS/ -XX:+UseCompactObjectHeaders/} # per configuration below
export MALLOC_ARENA_MAX=2
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ofn-java-versions.XXXXXX")
PID=
cleanup() {
  [ -z "$PID" ] || kill "$PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
log() { echo "java-versions: $*" >&2; }
ms_now() { echo $(($(date +%s%N) / 1000000)); }
cpu_ms() { awk -v t="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / t)}' "/proc/$1/stat"; }
rss_mb() { awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
# shellcheck source=scripts/free-port.sh
source scripts/free-port.sh

# --- the archives ---------------------------------------------------------------------------------
# 17: a dynamic archive of the same workload the image trains on (Dockerfile, `cds-training`).
# shellcheck disable=SC2086
"$JAVA17" $FLAGS -XX:ArchiveClassesAtExit="$WORK/17.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off -jar "$JAR" cds-training \
  >"$WORK/train17.log" 2>&1 || { log "17 training failed: $(tail -3 "$WORK/train17.log")"; exit 1; }
for coh in "" "-XX:+UseCompactObjectHeaders"; do
  name=25-aot${coh:+-coh}
  t0=$(ms_now)
  # shellcheck disable=SC2086
  "$JAVA25" $FLAGS $coh -XX:AOTCacheOutput="$WORK/$name.aot" -Xlog:aot=warning -jar "$JAR" cds-training \
    >"$WORK/train-$name.log" 2>&1 || { log "$name training failed: $(tail -3 "$WORK/train-$name.log")"; exit 1; }
  log "$name: AOT cache $(($(stat -c %s "$WORK/$name.aot") / 1048576)) MiB, trained in $(($(ms_now) - t0)) ms"
done
log "17: class-data archive $(($(stat -c %s "$WORK/17.jsa") / 1048576)) MiB"

declare -A JVM=([17]=$JAVA17 [25]=$JAVA25 [25-aot]=$JAVA25 [25-aot-coh]=$JAVA25)
declare -A EXTRA=(
  [17]="-XX:SharedArchiveFile=$WORK/17.jsa -Xshare:on -Xlog:cds=off -Xlog:cds+dynamic=off"
  [25]=""
  [25-aot]="-XX:AOTCache=$WORK/25-aot.aot -XX:AOTMode=on"
  [25-aot-coh]="-XX:+UseCompactObjectHeaders -XX:AOTCache=$WORK/25-aot-coh.aot -XX:AOTMode=on"
)
CONFIGS=(17 25 25-aot 25-aot-coh)
declare -A READY CPU RSS

# Launch to /readyz 200 (certificates made once beforehand), CPU and RSS at that moment.
run_one() { # $1 = config
  local port probe t0 ms
  port=$(free_port)
  probe=$(free_port "$port")
  t0=$(ms_now)
  # shellcheck disable=SC2086
  "${JVM[$1]}" $FLAGS ${EXTRA[$1]} -jar "$JAR" serve --standalone --host 127.0.0.1 --port "$port" \
    --probe-port "$probe" --certs-dir "$WORK/certs" --shutdown-grace 0s >"$WORK/$1.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 3000); do
    curl -sf -o /dev/null "http://127.0.0.1:$probe/readyz" && break
    kill -0 "$PID" 2>/dev/null || { log "$1 died: $(tail -3 "$WORK/$1.log")"; exit 1; }
    sleep 0.01
  done
  ms=$(($(ms_now) - t0))
  READY[$1]+="$ms "
  CPU[$1]+="$(cpu_ms "$PID") "
  RSS[$1]+="$(rss_mb "$PID") "
  kill "$PID"
  wait "$PID" 2>/dev/null || true
  PID=
}

run_one 17 # makes the certificates; not counted
READY=() CPU=() RSS=()
load0=$(cut -d' ' -f1-3 /proc/loadavg)
for _ in $(seq 1 "$ROUNDS"); do
  for c in "${CONFIGS[@]}"; do run_one "$c"; done
done
echo "java17: $("$JAVA17" -version 2>&1 | head -1)"
echo "java25: $("$JAVA25" -version 2>&1 | head -1)"
echo "rounds: $ROUNDS interleaved; load average before: $load0, after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-11s %9s %9s %7s  %s\n' config ready_ms cpu_ms rss_mb "ready_ms of each round"
for c in "${CONFIGS[@]}"; do
  # shellcheck disable=SC2086
  printf '%-11s %9s %9s %7s  %s\n' "$c" "$(printf '%s\n' ${READY[$c]} | median)" \
    "$(printf '%s\n' ${CPU[$c]} | median)" "$(printf '%s\n' ${RSS[$c]} | median)" "${READY[$c]}"
done

# --- heap per route (the conflict index), 17 / 25 / 25 with compact headers -----------------------
CP="target/test-classes:target/classes:target/lib/*"
if [ -f target/test-classes/dev/ofn/webhook/routing/ConflictIndexBench.class ]; then
  for c in "17:$JAVA17:" "25:$JAVA25:" "25-coh:$JAVA25:-XX:+UseCompactObjectHeaders"; do
    IFS=: read -r name jvm extra <<<"$c"
    # shellcheck disable=SC2086
    b=$("$jvm" $FLAGS $extra -cp "$CP" dev.ofn.webhook.bench.RunMethod dev.ofn.webhook.routing.ConflictIndexBench \
      conflictCheckAtScale 2>/dev/null | sed -n 's/^index_bytes_per_route_100000: //p')
    echo "index_bytes_per_route_100000 ($name): ${b:-n/a}"
  done
fi
