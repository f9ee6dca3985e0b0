# shellcheck shell=bash
# e2e cases of `webhook check --cluster` (sourced by run.sh; uses its helpers kc, one_line, WHY,
# HTTPROUTE_VERSIONS, WORK). They run once our webhook is unregistered: what they create is admitted
# unchecked, as in a cluster where routes existed before our webhook was installed.

CHECK_HOST=check-e2e.cluster.local # under the k8s Gateway's internal listener *.cluster.local

check_e2e_route() { # name
  cat <<EOF2
apiVersion: gateway.networking.k8s.io/${HTTPROUTE_VERSIONS[0]}
kind: HTTPRoute
metadata: {name: $1, namespace: default}
spec:
  parentRefs: [{name: contour, namespace: projectcontour}]
  hostnames: [$CHECK_HOST]
  rules:
    - matches: [{path: {type: PathPrefix, value: /shadowed}}]
      backendRefs: [{name: somewhere, port: 80}]
EOF2
}

# Two HTTPRoutes on one host and path: both admitted with no webhook registered. The older one
# has the larger name, so the audit must order by age, not by name.
check_routes_created_unguarded() {
  kc create -f <(check_e2e_route check-z-older) || { WHY="create check-z-older: $(one_line "$OUT")"; return 1; }
  sleep 1.2 # creationTimestamp has a resolution of one second
  kc create -f <(check_e2e_route check-a-younger) || { WHY="create check-a-younger: $(one_line "$OUT")"; return 1; }
}

# `webhook check --cluster` (no files: the audit) names the conflict, the winner and the shadowed
# route, and exits 1.
check_cluster_audit() {
  local rc=0 out
  out=$("$ROOT/webhook" check --cluster --kubeconfig "$KUBECONFIG" 2>"$WORK/check-audit.err") || rc=$?
  printf '%s\n' "$out" >"$WORK/check-audit.out"
  local want="HTTPRoute default/check-a-younger: spec.rules[0].matches[0]: \"$CHECK_HOST PathPrefix /shadowed\" on gateway projectcontour/contour:80 is shadowed by HTTPRoute default/check-z-older, which is older"
  grep -qxF "$want" <<<"$out" || { WHY="no line '$want' in: $(one_line "$out $(cat "$WORK/check-audit.err")")"; return 1; }
  ((rc == 1)) || { WHY="exit status $rc, want 1"; return 1; }
}

# `webhook check --cluster -f FILE`: a third route on that key would be refused, naming both.
check_cluster_file() {
  local rc=0 out
  check_e2e_route check-third >"$WORK/check-third.yaml"
  out=$("$ROOT/webhook" check --cluster --kubeconfig "$KUBECONFIG" -o json -f "$WORK/check-third.yaml" 2>"$WORK/check-file.err") || rc=$?
  ((rc == 1)) || { WHY="exit status $rc, want 1: $(one_line "$out $(cat "$WORK/check-file.err")")"; return 1; }
  local got
  got=$(pyj 'sorted([f["rule"], f["name"], f["line"], f["owner"]] for f in d["findings"])' <<<"$out")
  [[ $got == '[["route-conflict","check-third",8,"HTTPRoute default/check-a-younger"],["route-conflict","check-third",8,"HTTPRoute default/check-z-older"]]' ]] ||
    { WHY="findings $got"; return 1; }
}

# ---- while the server runs: the controller's audit as a gauge ----

GAUGE_NS=ofn-e2e-parity

gauge_route() { # name
  check_e2e_route "$1" | sed -e "s/namespace: default/namespace: $GAUGE_NS/" -e "s/$CHECK_HOST/gauge-e2e.cluster.local/"
}

shadowed_gauge_at_least_1() {
  curl -s --max-time 2 "http://127.0.0.1:$PROBE_PORT/metrics" | grep -qE '^ofn_webhook_shadowed_routes\{kind="HTTPRoute"\} [1-9]'
}

# Two HTTPRoutes on one key in a parity-only namespace (conflicts are warnings there, so both are
# admitted): the controller's audit (every 30 s) counts the shadowed key on /metrics.
check_shadowed_gauge() {
  kc create namespace "$GAUGE_NS" || [[ $OUT == *AlreadyExists* ]] || { WHY="create namespace: $(one_line "$OUT")"; return 1; }
  kc label namespace "$GAUGE_NS" ofn.io/webhook=parity-only "kubernetes.io/metadata.name=$GAUGE_NS" --overwrite ||
    { WHY="label: $(one_line "$OUT")"; return 1; }
  kc create -f <(gauge_route gauge-older) || { WHY="create gauge-older: $(one_line "$OUT")"; return 1; }
  # the server's namespace informer may need a moment to see the label
  wait_until 20 kc create -f <(gauge_route gauge-younger) || { WHY="create gauge-younger: $(one_line "$OUT")"; return 1; }
  wait_until 45 shadowed_gauge_at_least_1 ||
    { WHY="/metrics: $(curl -s "http://127.0.0.1:$PROBE_PORT/metrics" | grep shadowed || echo 'no ofn_webhook_shadowed_routes')"; return 1; }
  kc delete namespace "$GAUGE_NS" --wait=false >/dev/null || true
}

shadowed_gauge_case() {
  local name="controller: ofn_webhook_shadowed_routes on /metrics counts two routes on one key (parity-only namespace)"
  if [[ $CONTROLLER == on ]]; then
    check "$name" check_shadowed_gauge
  else
    skip "$name" "$CONTROLLER_WHY"
  fi
}
