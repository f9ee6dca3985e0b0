#!/usr/bin/env bash
# Smoke test of the e2e control plane (needs KUBECONFIG, e.g. from control-plane.sh env):
#   1. the rendered CRDs (manifests/crds via render-crds.sh) + the Knative Service stub
#      are created and become Established;
#   2. a Namespace and a ConfigMap can be created;
#   3. garbage collection: a ConfigMap owned by another ConfigMap goes away with its owner;
#   4. a validating webhook registered by URL https://127.0.0.1:<port>/validate is called
#      by the apiserver (a tiny python3 HTTPS server, its own throw-away CA) and its
#      denial reaches kubectl;
#   5. deleting the namespace finishes (namespace controller).
# Prints "N passed, N failed". Cleans up what it created (CRDs are left in place).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${KUBECONFIG:?set KUBECONFIG (eval \"\$(test/e2e/control-plane.sh env)\")}"
export KUBECONFIG
NS=ofn-e2e-smoke-$$
WORK=$(mktemp -d)
WEBHOOK_PID=""
passed=0 failed=0

cleanup() {
  [[ -n $WEBHOOK_PID ]] && kill "$WEBHOOK_PID" 2>/dev/null || true
  kubectl delete validatingwebhookconfiguration "ofn-e2e-smoke-$$" --ignore-not-found >/dev/null 2>&1 || true
  kubectl delete ns "$NS" --ignore-not-found --wait=false >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

k() { kubectl "$@" 2> >(grep -v 'version difference between client' >&2); }
check() { # description command...
  local d=$1; shift
  if "$@"; then echo "ok   - $d"; passed=$((passed + 1)); else echo "FAIL - $d"; failed=$((failed + 1)); fi
}

crds() {
  bash "$ROOT/test/e2e/install-crds.sh" >/dev/null 2>&1
}

ns_and_cm() {
  k create ns "$NS" >/dev/null && k -n "$NS" create configmap plain --from-literal=a=b >/dev/null &&
    [[ $(k -n "$NS" get cm plain -o jsonpath='{.data.a}') == b ]]
}

gc() {
  k -n "$NS" create configmap owner --from-literal=a=b >/dev/null
  local uid
  uid=$(k -n "$NS" get cm owner -o jsonpath='{.metadata.uid}')
  k -n "$NS" create -f - >/dev/null <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: dependent
  ownerReferences:
  - {apiVersion: v1, kind: ConfigMap, name: owner, uid: "$uid"}
data: {k: "v"}
EOF
  k -n "$NS" get cm dependent >/dev/null
  k -n "$NS" delete cm owner >/dev/null
  k -n "$NS" wait --for=delete cm/dependent --timeout=60s >/dev/null 2>&1 ||
    ! k -n "$NS" get cm dependent >/dev/null 2>&1
}

webhook() {
  (
    cd "$WORK"
    openssl req -x509 -newkey rsa:2048 -nodes -days 1 -keyout ca.key -out ca.crt -subj /CN=smoke-ca \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign
    openssl req -new -newkey rsa:2048 -nodes -keyout tls.key -out tls.csr -subj /CN=127.0.0.1
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >tls.ext
    openssl x509 -req -days 1 -in tls.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out tls.crt -extfile tls.ext
  ) >"$WORK/openssl.log" 2>&1
  cat >"$WORK/webhook.py" <<'PY'
import http.server, json, ssl, sys
work = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        review = json.loads(self.rfile.read(int(self.headers['Content-Length'])))
        with open(work + '/requests.log', 'a') as f:
            f.write(self.path + '\n')
        body = json.dumps({'apiVersion': 'admission.k8s.io/v1', 'kind': 'AdmissionReview',
                           'response': {'uid': review['request']['uid'], 'allowed': False,
                                        'status': {'code': 403, 'message': 'denied by the e2e smoke webhook'}}}).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
srv = http.server.HTTPServer(('127.0.0.1', 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(work + '/tls.crt', work + '/tls.key')
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
with open(work + '/port', 'w') as f:
    f.write(str(srv.server_address[1]))
srv.serve_forever()
PY
  python3 "$WORK/webhook.py" "$WORK" >"$WORK/webhook.log" 2>&1 &
  WEBHOOK_PID=$!
  local i
  for ((i = 0; i < 50; i++)); do [[ -s $WORK/port ]] && break; sleep 0.1; done
  local port
  port=$(cat "$WORK/port")
  k create -f - >/dev/null <<EOF
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: ofn-e2e-smoke-$$
webhooks:
- name: smoke.e2e.ofn.local
  clientConfig:
    url: https://127.0.0.1:$port/validate
    caBundle: $(base64 -w0 "$WORK/ca.crt")
  rules:
  - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps], scope: Namespaced}
  objectSelector: {matchLabels: {ofn-e2e-smoke/deny: "yes"}}
  namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: "$NS"}}
  failurePolicy: Fail
  sideEffects: None
  admissionReviewVersions: [v1]
  timeoutSeconds: 5
EOF
  # kubernetes.io/metadata.name is only set automatically from 1.21 on: label it ourselves.
  k label ns "$NS" "kubernetes.io/metadata.name=$NS" --overwrite >/dev/null
  local out="" deadline=$((SECONDS + 30))
  # the webhook configuration takes effect asynchronously: retry until denied
  while ((SECONDS < deadline)); do
    out=$(k -n "$NS" create -f - 2>&1 <<EOF
apiVersion: v1
kind: ConfigMap
metadata: {name: denied, labels: {ofn-e2e-smoke/deny: "yes"}}
EOF
    ) && { k -n "$NS" delete cm denied >/dev/null 2>&1 || true; sleep 0.5; continue; }
    break
  done
  echo "     kubectl said: $out"
  echo "     webhook saw: $(head -1 "$WORK/requests.log" 2>/dev/null)"
  [[ $out == *"denied by the e2e smoke webhook"* ]] && grep -q '^/validate?timeout=5s$' "$WORK/requests.log"
}

ns_delete() {
  k delete ns "$NS" --timeout=90s >/dev/null
}

check "CRDs created and Established" crds
check "Namespace + ConfigMap" ns_and_cm
check "garbage collection of an owned ConfigMap" gc
check "validating webhook by URL on 127.0.0.1 is called" webhook
check "Namespace deletion completes" ns_delete
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
