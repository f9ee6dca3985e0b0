# Traffic split across Functions (sourced by run.sh; uses its helpers: kc, kget, kobj, pyj, check,
# skip, wait_until, one_line, $FX, $ROOT, $WORK, $CONTROLLER).
#
# fn-v1's rule sends 90 to itself and 10 to fn-v2 (backendRefs of kind Function). Knative Services
# are stand-ins whose status we write, as serving_status does.

SPLIT_V1=$FX/split-fn-v1.yaml
SPLIT_V2=$FX/split-fn-v2.yaml
SPLIT_CROSS=$FX/split-other-namespace.yaml

# A stand-in Knative Service with a ready revision (none when REVISION is empty).
split_ksvc() { # name revision
  kc apply -f - <<EOF || { WHY="Knative Service $1: $(one_line "$OUT")"; return 1; }
apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: $1, namespace: default}
spec: {template: {spec: {containers: [{image: openfunctiondev/v1beta1-http:latest}]}}}
EOF
  [[ -z $2 ]] && return 0
  kc patch services.serving.knative.dev "$1" -n default --subresource=status --type merge -p \
    "{\"status\":{\"latestReadyRevisionName\":\"$2\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}" ||
    { WHY="Knative Service $1 status: $(one_line "$OUT")"; return 1; }
}

# OpenFunction's part: the Function's serving runs on that Knative Service.
split_serve() { # function ksvc
  kc patch function "$1" -n default --subresource=status --type merge -p \
    "{\"status\":{\"serving\":{\"service\":\"$2\",\"state\":\"Running\",\"resourceRef\":\"$2\"}}}" ||
    { WHY="Function $1 status: $(one_line "$OUT")"; return 1; }
}

# The warnings kubectl printed (in $OUT), one per line, without the "Warning: " prefix.
split_warnings() { grep '^Warning: ' <<<"$OUT" | sed 's/^Warning: //' || true; }

# The warnings `webhook check` prints for the files.
split_check_warnings() { # files...
  local args=() f
  for f in "$@"; do args+=(-f "$f"); done
  "$ROOT/webhook" check "${args[@]}" 2>&1 | sed -n 's/^.*: warning: //p'
}

split_dry_run_quiet() {
  kc apply --dry-run=server -f "$SPLIT_V1" -n default && [[ -z $(split_warnings | split_only) ]]
}

# The same objects give the same answers from the server and from `webhook check`: fn-v1 alone
# warns that fn-v2 does not exist; once fn-v2 is stored (server) or given (check), neither warns.
# Only the split's own warnings: the listener warnings depend on what the cluster's k8s Gateway
# holds (beside OpenFunction nobody applies the patched domain's listener), which check offline
# does not see.
split_only() { grep -F 'backendRefs' || true; }

check_split_admission_twins() {
  local server offline
  kc apply --dry-run=server -f "$SPLIT_V1" -n default || { WHY="dry run: $(one_line "$OUT")"; return 1; }
  server=$(split_warnings | split_only)
  offline=$(split_check_warnings "$SPLIT_V1" | split_only)
  [[ $server == *"rules[0].backendRefs[1]: Function default/fn-v2 does not exist yet"* && $server == "$offline" ]] ||
    { WHY="fn-v1 alone: server warned [$server], check warned [$offline]"; return 1; }
  kc apply -f "$SPLIT_V2" -n default || { WHY="fn-v2: $(one_line "$OUT")"; return 1; }
  # the server learns of fn-v2 from its Function informer, a moment after it is stored
  wait_until 15 split_dry_run_quiet
  kc apply -f "$SPLIT_V1" -n default || { WHY="fn-v1: $(one_line "$OUT")"; return 1; }
  server=$(split_warnings | split_only)
  offline=$(split_check_warnings "$SPLIT_V2" "$SPLIT_V1" | split_only)
  [[ -z $server && -z $offline ]] || { WHY="with fn-v2: server warned [$server], check warned [$offline]"; return 1; }
}

# "[[name, weight, [Host...]], ...]" of the first rule of fn-v1's HTTPRoute.
split_backends() {
  kobj httproutes.gateway.networking.k8s.io fn-v1 -n default \
    '[[b["name"], b.get("weight"), [h["value"] for f in b.get("filters", []) for h in (f.get("requestHeaderModifier") or {}).get("set", []) if h["name"] == "Host"]] for b in d["spec"]["rules"][0].get("backendRefs", [])]'
}

split_backends_are() { # want
  local got
  got=$(split_backends)
  [[ $got == "$1" ]] || { WHY="fn-v1's HTTPRoute backends $got, want $1"; return 1; }
}

split_backend() { # ksvc-revision weight
  printf '["%s",%s,["%s.default.svc.cluster.local"]]' "$1" "$2" "$1"
}

check_split_route() {
  split_ksvc fn-v2-ksvc fn-v2-ksvc-00001 && split_serve fn-v2 fn-v2-ksvc || return 1
  split_ksvc fn-v1-ksvc-a fn-v1-ksvc-a-00001 && split_serve fn-v1 fn-v1-ksvc-a || return 1
  wait_until 60 split_backends_are "[$(split_backend fn-v1-ksvc-a-00001 90),$(split_backend fn-v2-ksvc-00001 10)]"
}

split_reason() { # function
  kobj function "$1" -n default '[c["reason"] for c in d["status"]["route"]["conditions"] if c["type"] == "RouteReady"][0]'
}

split_reason_is() { # function reason
  local got
  got=$(split_reason "$1")
  [[ $got == "$2" ]] || { WHY="$1 RouteReady reason $got, want $2"; return 1; }
}

# The canary walk-through of docs/traffic-split.md, last step: every request to fn-v2.
check_split_weights() {
  kc patch function fn-v1 -n default --type json -p \
    '[{"op":"replace","path":"/spec/serving/triggers/http/route/rules/0/backendRefs/0/weight","value":0},{"op":"replace","path":"/spec/serving/triggers/http/route/rules/0/backendRefs/1/weight","value":100}]' ||
    { WHY="patch: $(one_line "$OUT")"; return 1; }
  wait_until 60 split_backends_are "[$(split_backend fn-v1-ksvc-a-00001 0),$(split_backend fn-v2-ksvc-00001 100)]" || return 1
  split_reason_is fn-v1 Accepted
}

# OpenFunction#504: the Function's serving moves to a new Knative Service. Under a loop of
# `kubectl get httproute` and server dry runs, the route keeps the old revision until the new one
# is ready, then moves, and never shows a revision that is gone (or none at all).
check_split_revision_switch() {
  kc patch function fn-v1 -n default --type json -p \
    '[{"op":"replace","path":"/spec/serving/triggers/http/route/rules/0/backendRefs/0/weight","value":90},{"op":"replace","path":"/spec/serving/triggers/http/route/rules/0/backendRefs/1/weight","value":10}]' ||
    { WHY="patch: $(one_line "$OUT")"; return 1; }
  wait_until 60 split_backends_are "[$(split_backend fn-v1-ksvc-a-00001 90),$(split_backend fn-v2-ksvc-00001 10)]" || return 1
  local log=$WORK/split-switch.log stop=$WORK/split-switch.stop
  rm -f "$log" "$stop"
  (
    while [[ ! -e $stop ]]; do
      echo "route $(date +%s.%N) $(split_backends)"
      if command kubectl apply --dry-run=server -f "$SPLIT_V1" -n default >/dev/null 2>&1; then
        echo "dryrun ok"
      else
        echo "dryrun failed"
      fi
    done >"$log"
  ) &
  local loop=$!
  split_ksvc fn-v1-ksvc-b "" && split_serve fn-v1 fn-v1-ksvc-b || { touch "$stop"; wait "$loop"; return 1; }
  sleep 5
  local still
  still=$(split_backends)
  split_ksvc fn-v1-ksvc-b fn-v1-ksvc-b-00001 || { touch "$stop"; wait "$loop"; return 1; }
  local moved=0
  wait_until 60 split_backends_are "[$(split_backend fn-v1-ksvc-b-00001 90),$(split_backend fn-v2-ksvc-00001 10)]" && moved=1
  kc delete services.serving.knative.dev fn-v1-ksvc-a -n default --wait=true
  local gone_at
  gone_at=$(date +%s.%N)
  sleep 5
  touch "$stop"
  wait "$loop"
  [[ $still == "[$(split_backend fn-v1-ksvc-a-00001 90),$(split_backend fn-v2-ksvc-00001 10)]" ]] ||
    { WHY="while fn-v1-ksvc-b had no ready revision the route showed $still"; return 1; }
  ((moved)) || { WHY="the route did not move to fn-v1-ksvc-b-00001: $(split_backends)"; return 1; }
  local bad
  bad=$(python3 - "$log" "$gone_at" <<'PY'
import json, sys
log, gone_at = sys.argv[1], float(sys.argv[2])
ok = {"fn-v1-ksvc-a-00001", "fn-v1-ksvc-b-00001", "fn-v2-ksvc-00001"}
routes = dry_ok = 0
for line in open(log):
    parts = line.split(" ", 2)
    if parts[0] == "dryrun":
        if parts[1].strip() != "ok":
            print("a server dry run failed"); sys.exit()
        dry_ok += 1
        continue
    routes += 1
    try:
        names = [b[0] for b in json.loads(parts[2])]
    except ValueError:
        print("unreadable route: " + parts[2].strip()); sys.exit()
    if len(names) != 2 or not set(names) <= ok:
        print("route backends " + parts[2].strip()); sys.exit()
    if float(parts[1]) > gone_at and "fn-v1-ksvc-a-00001" in names:
        print("a gone revision: " + parts[2].strip()); sys.exit()
if routes < 5 or dry_ok < 5:
    print("only %d route reads and %d dry runs" % (routes, dry_ok))
PY
)
  [[ -z $bad ]] || { WHY="$bad"; return 1; }
  log "revision switch: $(grep -c '^route' "$log") route reads, $(grep -c '^dryrun ok' "$log") dry runs"
}

check_split_backend_deleted() {
  kc delete function fn-v2 -n default --wait=true || { WHY="delete: $(one_line "$OUT")"; return 1; }
  wait_until 60 split_reason_is fn-v1 SplitBackendNotReady || return 1
  wait_until 30 split_backends_are "[$(split_backend fn-v1-ksvc-b-00001 90)]"
}

# Refused by the server with the field named, and `webhook check` prints the same line.
check_split_cross_namespace() {
  local offline
  ! kc create -f "$SPLIT_CROSS" -n default || { WHY="admitted"; return 1; }
  offline=$("$ROOT/webhook" check -f "$SPLIT_CROSS" 2>&1 | sed -n 's/^.*Function default\/fn-cross: //p')
  [[ $offline == *'backendRefs[0].namespace: Invalid value: "team-b"'* && $OUT == *"$offline"* ]] ||
    { WHY="server: $(one_line "$OUT"); check: $offline"; return 1; }
}

split_checks() {
  local names=("split: server and webhook check give the same warnings for fn-v1 -> fn-v2 (missing, then stored)"
    "split: fn-v1's HTTPRoute has backends fn-v1 90 / fn-v2 10, each with its own Host filter"
    "split: changing the weights re-renders the HTTPRoute (0 / 100)"
    "split: a revision switch under a get/dry-run loop waits for the new revision, never shows a gone one"
    "split: deleting fn-v2 leaves fn-v1 routed alone, RouteReady SplitBackendNotReady"
    "split: a backend in another namespace is refused, naming the field (server and check)")
  if [[ $CONTROLLER != on ]]; then
    check "${names[0]}" check_split_admission_twins
    local n
    for n in "${names[@]:1:4}"; do skip "$n" "$CONTROLLER_WHY"; done
    check "${names[5]}" check_split_cross_namespace
    return
  fi
  check "${names[0]}" check_split_admission_twins
  check "${names[1]}" check_split_route
  check "${names[2]}" check_split_weights
  check "${names[3]}" check_split_revision_switch
  check "${names[4]}" check_split_backend_deleted
  check "${names[5]}" check_split_cross_namespace
}
