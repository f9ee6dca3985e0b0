# shellcheck shell=bash
# Gateway API without OpenFunction (issue 20; docs/gateway-api.md): a plain Gateway annotated
# ofn-webhook.io/route-policy: deny, which no OFN Gateway uses, and its identical twin without
# the annotation. Sourced by run.sh, whose helpers (kc, pyj, wait_until, not_found, one_line,
# check) and variables (ROOT, FX, WORK) it uses. Every object is a v1 Gateway API object; the
# objects on the twin are the same files with every "-deny" name turned into "-open".
#
# The first route of each pair is created for real (the conflict needs a stored owner); the
# second is created too and must be refused. `webhook check -f` on the same files, in the same
# order, must refuse the same objects with the same text.

PG_NAMESPACES=(gwapi-infra team-a team-b team-c team-d team-e)
# In the order they are created (and given to `webhook check -f`); the refused ones are marked.
PG_FILES=(gateways listenerset httproute-a httproute-b grpcroute-cross grpcroute-x grpcroute-y
  grpcroute-z listenerset-route-1 listenerset-route-2)
PG_REFUSED=(httproute-b grpcroute-cross grpcroute-y listenerset-route-2)

pg_fixture() { echo "$FX/plain-gateway-$1.yaml"; }

# The fixture for the Gateway without the annotation (its Gateway is in the same gateways file).
pg_open_fixture() { # name
  local f=$WORK/plain-gateway-open-$1.yaml
  [[ $1 == gateways ]] && { pg_fixture gateways; return; }
  sed -e 's/-deny\b/-open/g' "$(pg_fixture "$1")" >"$f"
  echo "$f"
}

pg_file() { # deny|open name
  if [[ $1 == deny ]]; then pg_fixture "$2"; else pg_open_fixture "$2"; fi
}

# `webhook check -f` over all files of one set: its output (one line per refusal) and exit code.
PG_CHECK_OUT="" PG_CHECK_RC=0
pg_run_check() { # deny|open
  local args=() n
  for n in "${PG_FILES[@]}"; do args+=(-f "$(pg_file "$1" "$n")"); done
  PG_CHECK_RC=0
  PG_CHECK_OUT=$("$ROOT/webhook" check "${args[@]}" 2>&1) || PG_CHECK_RC=$?
}

# The refusal text `webhook check` gives for one file ("<field>: Forbidden: <why>"), empty if none.
pg_check_refusal() { # file
  local line
  line=$(grep -F "$1: " <<<"$PG_CHECK_OUT" | head -n1) || true
  [[ -n $line ]] && sed -e 's/^[^:]*: [A-Za-z]* [^ ]*: //' <<<"$line"
}

check_pg_setup() {
  local ns
  for ns in "${PG_NAMESPACES[@]}"; do
    kc create namespace "$ns" || [[ $OUT == *AlreadyExists* ]] || { WHY="create namespace $ns: $(one_line "$OUT")"; return 1; }
    kc label namespace "$ns" "kubernetes.io/metadata.name=$ns" --overwrite || { WHY="label $ns: $(one_line "$OUT")"; return 1; }
  done
  kc create -f "$(pg_fixture gateways)" || { WHY="Gateways: $(one_line "$OUT")"; return 1; }
  kc create -f "$(pg_fixture listenerset)" || { WHY="ListenerSet docs-deny: $(one_line "$OUT")"; return 1; }
  kc create -f "$(pg_open_fixture listenerset)" || { WHY="ListenerSet docs-open: $(one_line "$OUT")"; return 1; }
}

pg_admitted() { # deny|open name
  kc create -f "$(pg_file "$1" "$2")" || { WHY="refused: $(one_line "$OUT")"; return 1; }
  [[ $OUT != *Warning* ]] || { WHY="admitted with a warning: $(one_line "$OUT")"; return 1; }
}

# A dry run of the file is refused naming $2 (the server's informers have caught up).
pg_dry_run_refused() { # file owner
  ! kc create --dry-run=server -f "$1" && [[ $OUT == *"$2"* ]]
}

# Refused (a real create), the message naming the owner and carrying `webhook check`'s text.
pg_refused() { # name webhook owner
  local f
  f=$(pg_fixture "$1")
  # the server's informers see the owner (and the Gateway, the ListenerSet) within seconds
  wait_until 30 pg_dry_run_refused "$f" "$3" || true
  if kc create -f "$f"; then
    WHY="admitted: $(one_line "$OUT")"
    return 1
  fi
  [[ $OUT == *"admission webhook \"$2\" denied the request"* && $OUT == *"$3"* ]] ||
    { WHY="refused, but not naming $3: $(one_line "$OUT")"; return 1; }
  local want
  want=$(pg_check_refusal "$f")
  [[ -n $want ]] || { WHY="webhook check -f did not refuse it: $(one_line "$PG_CHECK_OUT")"; return 1; }
  [[ $OUT == *"$want"* ]] || { WHY="server: $(one_line "$OUT"); webhook check: $want"; return 1; }
  not_found -f "$f" || { WHY="it exists after all"; return 1; }
}

# `webhook check -f` on the annotated set: the four objects refused naming the owners (team-d's
# GRPCRoute on both listeners it attaches to), exit 1.
check_pg_offline_deny() {
  pg_run_check deny
  local want
  want="$(pg_fixture httproute-b): HTTPRoute team-b/api-deny: spec.rules[0].matches[0]: Forbidden: \"shop.example.com PathPrefix /api\" on gateway gwapi-infra/shop-deny:80 is already routed by HTTPRoute team-a/api-deny
$(pg_fixture grpcroute-cross): GRPCRoute team-b/shop-cart-deny: spec.hostnames[0]: Forbidden: hostname shop.example.com on gateway gwapi-infra/shop-deny:80 is served by HTTPRoute team-a/api-deny, and a listener serves either HTTPRoutes or GRPCRoutes on a hostname, not both (Gateway API GEP-1016)
$(pg_fixture grpcroute-y): GRPCRoute team-d/cart-y-deny: spec.rules[0].matches[0]: Forbidden: \"grpc.example.com gRPC shop.Cart/Add\" on gateway gwapi-infra/shop-deny:80 is already routed by GRPCRoute team-c/cart-x-deny
$(pg_fixture grpcroute-y): GRPCRoute team-d/cart-y-deny: spec.rules[0].matches[0]: Forbidden: \"grpc.example.com gRPC shop.Cart/Add\" on gateway gwapi-infra/shop-deny:9090 is already routed by GRPCRoute team-c/cart-x-deny
$(pg_fixture listenerset-route-2): HTTPRoute team-e/docs-2-deny: spec.rules[0].matches[0]: Forbidden: \"docs.example.com PathPrefix /\" on gateway gwapi-infra/shop-deny:8080 is already routed by HTTPRoute team-e/docs-1-deny"
  [[ $PG_CHECK_RC == 1 && $PG_CHECK_OUT == "$want" ]] ||
    { WHY="exit $PG_CHECK_RC, output: $(one_line "$PG_CHECK_OUT")"; return 1; }
}

check_pg_offline_open() {
  pg_run_check open
  [[ $PG_CHECK_RC == 0 && -z $PG_CHECK_OUT ]] || { WHY="exit $PG_CHECK_RC, output: $(one_line "$PG_CHECK_OUT")"; return 1; }
}

# The twin set, on the Gateway without the annotation: every object admitted, in the same order
# (the first of each pair given a moment to reach the server's informers).
check_pg_open_all_admitted() {
  local n
  for n in "${PG_FILES[@]:2}"; do
    [[ " ${PG_REFUSED[*]} " == *" $n "* ]] && sleep 2
    pg_admitted open "$n" || { WHY="$n: $WHY"; return 1; }
  done
}

plain_gateway_checks() {
  local p="plain Gateway (route-policy: deny, no OFN Gateway)"
  check "$p: namespaces, Gateways shop-deny and shop-open, ListenerSets created" check_pg_setup
  check "webhook check -f on the annotated set: the 4 objects refused naming the owners, exit 1" check_pg_offline_deny
  check "$p: HTTPRoute team-a/api-deny shop.example.com PathPrefix /api admitted" pg_admitted deny httproute-a
  check "$p: HTTPRoute team-b/api-deny, same hostname and path, refused naming HTTPRoute team-a/api-deny (text as webhook check)" \
    pg_refused httproute-b vhttproutes.of.io "HTTPRoute team-a/api-deny"
  check "$p: GRPCRoute on shop.example.com refused (cross-serving, GEP-1016) naming HTTPRoute team-a/api-deny" \
    pg_refused grpcroute-cross vgrpcroutes.of.io "served by HTTPRoute team-a/api-deny"
  check "$p: GRPCRoute team-c/cart-x-deny shop.Cart/Add on grpc.example.com admitted" pg_admitted deny grpcroute-x
  check "$p: GRPCRoute team-d/cart-y-deny, same service and method, refused naming GRPCRoute team-c/cart-x-deny" \
    pg_refused grpcroute-y vgrpcroutes.of.io "GRPCRoute team-c/cart-x-deny"
  check "$p: GRPCRoute team-d/cart-z-deny shop.Cart/Remove admitted" pg_admitted deny grpcroute-z
  check "$p: HTTPRoute team-e/docs-1-deny through ListenerSet listener docs admitted" pg_admitted deny listenerset-route-1
  check "$p: HTTPRoute team-e/docs-2-deny through the same ListenerSet listener, same hostname and path, refused" \
    pg_refused listenerset-route-2 vhttproutes.of.io "HTTPRoute team-e/docs-1-deny"
  check "Gateway without the annotation (shop-open): the same objects all admitted" check_pg_open_all_admitted
  check "webhook check -f on the set for shop-open: nothing refused, exit 0" check_pg_offline_open
}
