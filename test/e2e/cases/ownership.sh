# Hostname ownership and https addresses (issue 15; docs/ownership.md). Sourced by run.sh, whose
# helpers (kc, kget, kobj, pyj, wait_until, not_found, one_line, with_version, check, skip) and
# variables (ROOT, FX, OFN_GW, GATEWAY_VERSION, CONTROLLER, CONTROLLER_WHY) it uses.
#
# Ownership is turned on for the default OFN Gateway only, by its annotation (the server's flag
# stays off), and turned off again at the end; every object made here is deleted again, so the
# checks that follow see the cluster as before. Run before the domain patch: shop.ofn.io must
# match the *.ofn.io listener.

OWN_ANNOTATION=networking.openfunction.io/hostname-ownership
OWN_B_WARNING='"shop.ofn.io PathPrefix /api/orders" is under "PathPrefix /api" of Function team-a/shop (another namespace)'
OWN_B_REFUSAL='hostname shop.ofn.io belongs to namespace team-a (Function team-a/shop)'

own_namespaces() {
  local ns
  for ns in team-a team-b ofn-e2e-tls; do
    kc create namespace "$ns" || [[ $OUT == *AlreadyExists* ]] || { WHY="create namespace $ns: $(one_line "$OUT")"; return 1; }
    kc label namespace "$ns" "kubernetes.io/metadata.name=$ns" --overwrite || { WHY="label $ns: $(one_line "$OUT")"; return 1; }
  done
}

# The server answers a dry run of team-b's Function as mode $1 wants (its informer has seen the
# annotation): refused for namespace, admitted for off.
own_mode_effective() { # off|namespace
  if kc create --dry-run=server -f "$FX/ownership-team-b.yaml"; then
    [[ $1 == off ]]
  else
    [[ $1 == namespace && $OUT == *"$OWN_B_REFUSAL"* ]]
  fi
}

own_mode() { # off|namespace
  kc annotate "${OFN_GW[@]}" "$OWN_ANNOTATION=$1" --overwrite || { WHY="annotate: $(one_line "$OUT")"; return 1; }
  wait_until 30 own_mode_effective "$1" || { WHY="mode $1 not in effect 30 s after annotating: $(one_line "$OUT")"; return 1; }
}

# Namespace mode on the default gateway; team-a's Function on shop.ofn.io /api is admitted.
check_own_team_a() {
  own_namespaces || return 1
  kc create -f "$FX/ownership-team-a.yaml" || { WHY="team-a/shop refused: $(one_line "$OUT")"; return 1; }
  own_mode namespace
}

check_own_team_b_function_refused() {
  if kc create -f "$FX/ownership-team-b.yaml"; then
    WHY="admitted: $(one_line "$OUT")"
    return 1
  fi
  [[ $OUT == *'admission webhook "vfunctions.of.io" denied the request'* && $OUT == *"spec.serving.triggers.http.route.hostnames[0]: Forbidden: $OWN_B_REFUSAL"* ]] ||
    { WHY="refused, but not for ownership: $(one_line "$OUT")"; return 1; }
  not_found function orders -n team-b || { WHY="the Function exists after all"; return 1; }
}

check_own_team_b_route_refused() {
  if kc create -f <(with_version "$FX/ownership-team-b-route.yaml" "${HTTPROUTE_VERSIONS[-1]}"); then
    WHY="admitted: $(one_line "$OUT")"
    return 1
  fi
  [[ $OUT == *'admission webhook "vhttproutes.of.io" denied the request'* && $OUT == *"spec.hostnames[0]: Forbidden: $OWN_B_REFUSAL"* ]] ||
    { WHY="refused, but not for ownership: $(one_line "$OUT")"; return 1; }
}

check_own_team_a_second_path() {
  kc create -f "$FX/ownership-team-a-admin.yaml" || { WHY="refused: $(one_line "$OUT")"; return 1; }
  [[ $OUT != *Warning* ]] || { WHY="admitted with a warning: $(one_line "$OUT")"; return 1; }
}

# webhook check gives the same answers offline (files in the order the cluster saw them).
check_own_offline_namespace() {
  local out rc=0
  out=$("$ROOT/webhook" check --hostname-ownership namespace -f "$FX/ownership-team-a.yaml" \
    -f "$FX/ownership-team-b.yaml" -f "$FX/ownership-team-b-route.yaml" -f "$FX/ownership-team-a-admin.yaml" 2>&1) || rc=$?
  local want="$FX/ownership-team-b.yaml: Function team-b/orders: spec.serving.triggers.http.route.hostnames[0]: Forbidden: $OWN_B_REFUSAL
$FX/ownership-team-b-route.yaml: HTTPRoute team-b/orders-route: spec.hostnames[0]: Forbidden: $OWN_B_REFUSAL"
  [[ $rc == 1 && $out == "$want" ]] || { WHY="exit $rc, output: $(one_line "$out")"; return 1; }
}

# Ownership off (annotation): the same team-b Function is admitted, with the warning.
check_own_off_warns() {
  own_mode off || return 1
  kc create -f "$FX/ownership-team-b.yaml" || { WHY="refused: $(one_line "$OUT")"; return 1; }
  [[ $OUT == *"Warning: $OWN_B_WARNING"* ]] || { WHY="no warning naming team-a: $(one_line "$OUT")"; return 1; }
}

check_own_offline_off() {
  local out rc=0
  out=$("$ROOT/webhook" check -f "$FX/ownership-team-a.yaml" -f "$FX/ownership-team-b.yaml" 2>&1) || rc=$?
  [[ $rc == 0 && $out == "$FX/ownership-team-b.yaml: Function team-b/orders: warning: $OWN_B_WARNING" ]] ||
    { WHY="exit $rc, output: $(one_line "$out")"; return 1; }
}

own_cleanup() {
  kc delete function shop shop-admin -n team-a --ignore-not-found --wait=true || { WHY="delete team-a: $(one_line "$OUT")"; return 1; }
  kc delete function orders -n team-b --ignore-not-found --wait=true || { WHY="delete team-b: $(one_line "$OUT")"; return 1; }
  kc annotate "${OFN_GW[@]}" "$OWN_ANNOTATION-" || { WHY="remove the annotation: $(one_line "$OUT")"; return 1; }
}

# ---- https addresses ----

own_https_addresses() {
  local got want
  got=$(kobj function secure-fn -n ofn-e2e-tls 'sorted([a["type"], a["value"]] for a in d.get("status", {}).get("addresses") or [])')
  want='[["External","https://secure-fn.ofn-e2e-tls.secure.example.com/"],["Internal","http://secure-fn.ofn-e2e-tls.svc.cluster.local/"]]'
  [[ $got == "$want" ]] || { WHY="status.addresses $got, want $want"; return 1; }
}

check_own_https_address() {
  kc apply -f <(with_version "$FX/ownership-https-gateways.yaml" "$GATEWAY_VERSION") || { WHY="gateways: $(one_line "$OUT")"; return 1; }
  kc apply -f "$FX/ownership-https-ksvc.yaml" || { WHY="Knative Service: $(one_line "$OUT")"; return 1; }
  kc patch services.serving.knative.dev secure-fn-ksvc-e2e -n ofn-e2e-tls --subresource=status --type merge -p \
    '{"status":{"latestReadyRevisionName":"secure-fn-ksvc-e2e-00001","conditions":[{"type":"Ready","status":"True"}]}}' ||
    { WHY="Knative Service status: $(one_line "$OUT")"; return 1; }
  wait_until 20 kc apply -f "$FX/ownership-https-function.yaml" || { WHY="Function: $(one_line "$OUT")"; return 1; }
  kc patch function secure-fn -n ofn-e2e-tls --subresource=status --type merge -p \
    '{"status":{"serving":{"service":"secure-fn-ksvc-e2e","state":"Running","resourceRef":"secure-fn-ksvc-e2e"}}}' ||
    { WHY="Function status: $(one_line "$OUT")"; return 1; }
  wait_until 60 own_https_addresses || return 1
  kc delete function secure-fn -n ofn-e2e-tls --wait=true || { WHY="delete: $(one_line "$OUT")"; return 1; }
}

# The https check needs the controller: SKIPPED without it.
check_own_https() { # name
  if [[ $CONTROLLER == on ]]; then
    check "$1" check_own_https_address
  else
    skip "$1" "$CONTROLLER_WHY"
  fi
}
