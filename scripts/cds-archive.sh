#!/usr/bin/env bash
# Makes the class data of `webhook serve` for the JVM the launcher picks (./webhook: a Java 25 when
# there is one, else `java`): on 25 target/ofn-webhook.aot, an AOT cache (JEP 483/514/515: classes
# loaded and linked ahead, method profiles); on 17 target/ofn-webhook.jsa, a dynamic class-data
# archive. Either one cuts start-up to ready by about a third (the JVM maps ~3,500 classes instead of
# loading and verifying them). Training run: the standalone server on free loopback ports, one
# review per endpoint kind, then SIGTERM; the JVM writes the file as it exits. The launcher uses it
# only while it is newer than the jar. Any failure leaves none, and nothing else changes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
jar=target/ofn-webhook.jar
java=${JAVA:-}
[ -n "$java" ] || java=$(bash scripts/find-java.sh 25) || java=java
if [ "$(bash scripts/find-java.sh --major "$java" || true)" = 25 ]; then
  out=target/ofn-webhook.aot
  train=(-XX:AOTCacheOutput="$PWD/target/ofn-webhook.aot.part" -Xlog:aot=off -Xlog:cds=off)
else
  out=target/ofn-webhook.jsa
  train=(-XX:ArchiveClassesAtExit="$PWD/target/ofn-webhook.jsa.part" -Xlog:cds=off -Xlog:cds+dynamic=off)
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/ofn-cds.XXXXXX")
pid=
cleanup() {
  [ -z "$pid" ] || kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "cds-archive: $*" >&2; exit 1; }

[ -f "$jar" ] || fail "no $jar"
rm -f "$out" "$out.part"
# shellcheck source=scripts/free-port.sh
source scripts/free-port.sh
port=$(free_port)
probe=$(free_port)
flags=$(sed -n 's/^DEFAULT_JAVA_OPTS="\(.*\)"$/\1/p' webhook)
# shellcheck disable=SC2086  # word splitting of the flags is wanted
"$java" $flags "${train[@]}" -jar "$jar" \
  serve --standalone --host 127.0.0.1 --port "$port" --probe-port "$probe" --certs-dir "$work/certs" \
  --shutdown-grace 0s >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  curl -sf -o /dev/null "http://127.0.0.1:$probe/readyz" && break
  kill -0 "$pid" 2>/dev/null || fail "the training server stopped: $(tail -3 "$work/server.log")"
  sleep 0.05
done
review() { # $1 = path, $2 = kind JSON, $3 = object JSON
  curl -sk -o /dev/null --http2 -H 'content-type: application/json' "https://127.0.0.1:$port$1" --data-binary \
    "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"cds\",\"operation\":\"CREATE\",\"namespace\":\"default\",\"kind\":$2,\"object\":$3}}" \
    || true
}
function_kind='{"group":"core.openfunction.io","version":"v1beta2","kind":"Function"}'
function='{"apiVersion":"core.openfunction.io/v1beta2","kind":"Function","metadata":{"name":"cds","namespace":"default"},"spec":{"image":"i","serving":{"triggers":{"http":{"port":8080}}}}}'
review /mutate-core-openfunction-io-v1beta2-function "$function_kind" "$function"
review /validate-core-openfunction-io-v1beta2-function "$function_kind" "$function"
review /validate-gateway-networking-k8s-io-v1-httproute '{"group":"gateway.networking.k8s.io","version":"v1","kind":"HTTPRoute"}' \
  '{"apiVersion":"gateway.networking.k8s.io/v1","kind":"HTTPRoute","metadata":{"name":"cds","namespace":"default"},"spec":{"parentRefs":[{"name":"contour","namespace":"projectcontour"}],"hostnames":["cds.example.com"],"rules":[{"matches":[{"path":{"type":"PathPrefix","value":"/"}}]}]}}'
review /mutate-networking-openfunction-io-v1alpha1-gateway '{"group":"networking.openfunction.io","version":"v1alpha1","kind":"Gateway"}' \
  '{"apiVersion":"networking.openfunction.io/v1alpha1","kind":"Gateway","metadata":{"name":"cds","namespace":"default"},"spec":{"domain":"ofn.io","gatewayRef":{"name":"contour","namespace":"projectcontour"}}}'
curl -sf -o /dev/null "http://127.0.0.1:$probe/metrics" || true
kill "$pid"
wait "$pid" || true
pid=
[ -s "$out.part" ] || fail "the JVM wrote no class data: $(tail -3 "$work/server.log")"
mv "$out.part" "$out"
echo "cds-archive: $out ($(( $(stat -c %s "$out") / 1048576 )) MiB)" >&2
