# CRDs installed after the server, or not at all (issue 22 item 8, issue 20 item 4). Sourced by
# run.sh, whose helpers (kc, kget, check, wait_until, free_port, one_line, httproute_exists) and
# variables (ROOT, E2E, WORK, KUBECONFIG, CONTROLLER, SAMPLE) it uses.
#
# run.sh installs the CRDs without the Knative Service stub (OFN_E2E_LATE_KNATIVE=1 for
# install-crds.sh); the stub is installed by late_knative_crd once the server runs, and the
# controller checks then need a Running Function's HTTPRoute within 10 s.

NOCRDS=ofn-webhook-e2e-nocrds   # the Lease of the server started before any CRD

# Before any CRD exists: a server (as the admin, controller on; certificates from files as with
# cert-manager, so nothing is registered that could outlive it; its own Lease) starts with no error,
# /readyz is 200 with a warning naming the missing CRDs, and one informer line says what it watches.
check_serves_without_crds() {
  local port probe log=$WORK/server-no-crds.log certs=$WORK/certs-no-crds pid answer="" code="" deadline
  port=$(free_port) && probe=$(free_port "$port") || { WHY="no free port"; return 1; }
  "$ROOT/webhook" certs --out "$certs" >"$log" 2>&1 || { WHY="webhook certs: $(one_line "$(cat "$log")")"; return 1; }
  "$ROOT/webhook" serve --kubeconfig "$KUBECONFIG" --namespace default --lease-name "$NOCRDS" \
    --cert-mode cert-manager --cert-dir "$certs" \
    --host 127.0.0.1 --port "$port" --probe-port "$probe" --shutdown-grace 0s </dev/null >>"$log" 2>&1 &
  pid=$!
  deadline=$((SECONDS + 180))
  while ((SECONDS < deadline)) && kill -0 "$pid" 2>/dev/null; do
    answer=$(curl -s --max-time 2 -w '\n%{http_code}' "http://127.0.0.1:$probe/readyz" 2>/dev/null || true)
    code=${answer##*$'\n'}
    [[ $code == 200 ]] && break
    sleep 0.5
  done
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [[ $code == 200 ]] ||
    { WHY="/readyz not 200 within 180 s: $(one_line "$answer") $(one_line "$(grep -m3 -E 'ERROR|Exception' "$log")")"; return 1; }
  local want='warning: informers: CRDs not installed: gateways.networking.openfunction.io'
  [[ $answer == *"$want"* && $answer == *functions.core.openfunction.io* ]] ||
    { WHY="/readyz says $(one_line "$answer"), want a line starting '$want' naming functions.core.openfunction.io too"; return 1; }
  grep -q 'informers: watching namespaces' "$log" ||
    { WHY="no 'informers: watching namespaces ...' line in the log ($log)"; return 1; }
  ! grep -qE '\[ERROR\]|Exception' "$log" ||
    { WHY="the log has errors: $(one_line "$(grep -m3 -E '\[ERROR\]|Exception' "$log")")"; return 1; }
}

# The Knative Service CRD, installed while the server runs (it watches it within seconds).
late_knative_crd() {
  kc apply -f "$E2E/knative-service-crd.yaml" || { WHY="apply: $(one_line "$OUT")"; return 1; }
  kc wait --for=condition=Established --timeout=60s crd/services.serving.knative.dev ||
    { WHY="not Established: $(one_line "$OUT")"; return 1; }
  wait_until 10 grep -q 'informers: knative-services is served now' "$SERVER_LOG" ||
    { WHY="the server did not start watching Knative Services within 10 s of the CRD"; return 1; }
}

# Right after serving_status made the Function Running (its Knative Service ready).
check_route_within_10s() {
  wait_until 10 httproute_exists ||
    { WHY="no HTTPRoute default/$SAMPLE 10 s after the Function became Running"; return 1; }
}
