#!/usr/bin/env bash
# A real Kubernetes control plane (etcd + kube-apiserver + kube-controller-manager)
# on the loopback interface, for the webhook's end-to-end tests. No nodes, no
# kubelet, no container runtime: objects are stored and admitted (webhooks are
# called), garbage collection and namespace deletion work, nothing ever runs.
#
#   test/e2e/control-plane.sh start   # build (first time) + start; prints `export ...` lines
#   test/e2e/control-plane.sh env     # prints `export KUBECONFIG=...` (+ OFN_E2E_* vars)
#   test/e2e/control-plane.sh status  # exit 0 when running
#   test/e2e/control-plane.sh stop    # kill exactly the recorded PIDs, delete the state dir
#   test/e2e/control-plane.sh build   # only make sure the binaries are in the cache
#
#   eval "$(test/e2e/control-plane.sh start)"; kubectl get ns; test/e2e/control-plane.sh stop
#
# Which cluster (first that applies):
#   1. KUBECONFIG is set and `kubectl version` reaches its server -> that cluster is
#      used as is (nothing is started; `stop` starts/stops nothing).
#      OFN_E2E_IGNORE_KUBECONFIG=1 skips this.
#   2. KUBEBUILDER_ASSETS is a folder with `etcd` and `kube-apiserver` (envtest's
#      layout) -> those binaries. envtest ships no kube-controller-manager: the one
#      from the cache below is used if it was built, otherwise none runs (then no
#      garbage collection, no namespace finalization, no service-account tokens).
#   3. Otherwise binaries from the cache ${XDG_CACHE_HOME:-$HOME/.cache}/ofn-webhook-e2e/bin,
#      built there on first use (~10 min on 2 cores, needs root/sudo for apt-get):
#        - etcd: Debian's etcd-server package (downloaded and unpacked, not installed,
#          so no etcd service is ever started on this machine);
#        - kube-apiserver + kube-controller-manager v1.20.2: compiled with Debian's
#          golang-go from Debian bookworm's `kubernetes` source package (apt-get source).
#
# Everything binds 127.0.0.1 only. State (PKI, kubeconfigs, etcd data, logs, PIDs) lives in
# OFN_E2E_STATE_DIR (default ${TMPDIR:-/tmp}/ofn-webhook-e2e-$UID); `stop` removes it
# (set OFN_E2E_LOGS_DIR=DIR to keep a copy of the component logs).
#
# Knobs (environment): OFN_E2E_CACHE_DIR, OFN_E2E_STATE_DIR, OFN_E2E_LOGS_DIR,
#   OFN_E2E_APISERVER_PORT / OFN_E2E_ETCD_PORT / OFN_E2E_ETCD_PEER_PORT (default: free
#   random ports), OFN_E2E_SERVICE_CIDR (default 10.0.0.0/24; virtual only, see below),
#   OFN_E2E_KCM_CONTROLLERS, OFN_E2E_READY_TIMEOUT (s, default 180),
#   OFN_E2E_KEEP_BUILD=1 (keep the source tree + Go cache after a build),
#   OFN_E2E_IGNORE_KUBECONFIG=1.
#
# Admission plugins: the defaults plus OwnerReferencesPermissionEnforcement (on in OpenShift/OKD):
# an object whose ownerReference sets blockOwnerDeletion may only be written by who may update the
# owner's finalizers, which the shipped RBAC must therefore grant.
#
# Webhooks: register them with `clientConfig.url: https://127.0.0.1:<port>/<path>` and a
# caBundle; the apiserver then calls https://127.0.0.1:<port>/<path>?timeout=<n>s.
# Do NOT use `clientConfig.service`: the 1.20 apiserver resolves a service reference to
# its ClusterIP (from OFN_E2E_SERVICE_CIDR), and nothing listens there.
set -euo pipefail

K8S_MINOR_WANTED=1.20
# Fixes applied to the Kubernetes sources (recorded in BUILD-INFO; cached binaries without
# this exact line are rebuilt): see build_binaries.
BUILD_PATCHES="patches: reflect2-1.0.2 openapi-zero-value-not-null"
SCRIPT_NAME=$(basename "$0")
CACHE_DIR=${OFN_E2E_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ofn-webhook-e2e}
CACHE_BIN=$CACHE_DIR/bin
STATE_DIR=${OFN_E2E_STATE_DIR:-${TMPDIR:-/tmp}/ofn-webhook-e2e-$(id -u)}
SERVICE_CIDR=${OFN_E2E_SERVICE_CIDR:-10.0.0.0/24}
READY_TIMEOUT=${OFN_E2E_READY_TIMEOUT:-180}
KCM_CONTROLLERS=${OFN_E2E_KCM_CONTROLLERS:-serviceaccount-token,serviceaccount,namespace,garbagecollector,clusterrole-aggregation,root-ca-cert-publisher}

# Nothing we start talks to anything but 127.0.0.1; make sure no proxy setting says otherwise.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost

log() { printf '[%s %s] %s\n' "$SCRIPT_NAME" "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root (or sudo) for: $* -- or set KUBEBUILDER_ASSETS to a folder with etcd and kube-apiserver"
  fi
}

# ---------------------------------------------------------------------------------------------
# Binaries
# ---------------------------------------------------------------------------------------------

apt_get() { as_root env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=600 "$@"; }

# The mirror the machine already uses for bookworm (deb822 or one-line format).
debian_mirror() {
  local f uri=""
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    uri=$(awk 'BEGIN{RS=""} /Suites:[^\n]*bookworm([ \n]|$)/ && /Types:[^\n]*deb/ {
             if (match($0, /URIs:[ \t]*[^ \t\n]+/)) { s=substr($0,RSTART,RLENGTH); sub(/URIs:[ \t]*/,"",s); print s; exit } }' "$f")
    [[ -n $uri ]] && break
  done
  if [[ -z $uri ]]; then
    uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
          awk '$1=="deb" && $0 ~ / bookworm / { for (i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }')
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

ensure_deb_src() {
  if grep -rqsE '^(deb-src .* bookworm .*main|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/ \
     && apt-cache showsrc kubernetes >/dev/null 2>&1; then
    return
  fi
  local mirror; mirror=$(debian_mirror)
  log "adding a deb-src entry for bookworm main ($mirror): /etc/apt/sources.list.d/ofn-webhook-e2e-src.sources"
  printf 'Types: deb-src\nURIs: %s\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$mirror" | as_root tee /etc/apt/sources.list.d/ofn-webhook-e2e-src.sources >/dev/null
}

build_binaries() {
  [[ -f /etc/debian_version ]] || die "building needs a Debian machine (apt-get); set KUBEBUILDER_ASSETS instead"
  local build=$CACHE_DIR/build
  local gopath=$build/gopath
  local tree=$gopath/src/k8s.io/kubernetes
  local t0=$SECONDS
  rm -rf "$build"
  mkdir -p "$build/src" "$build/deb" "$CACHE_BIN"

  ensure_deb_src
  log "apt-get update"
  apt_get update >"$build/apt.log" 2>&1 || { tail -20 "$build/apt.log" >&2; die "apt-get update failed"; }
  log "apt-get install golang-go dpkg-dev rsync make golang-github-modern-go-reflect2-dev"
  apt_get install -y --no-install-recommends golang-go dpkg-dev rsync make openssl curl \
    golang-github-modern-go-reflect2-dev >>"$build/apt.log" 2>&1 || { tail -20 "$build/apt.log" >&2; die "apt-get install failed"; }

  # etcd: unpack Debian's etcd-server package instead of installing it, so that its
  # maintainer scripts never start a system etcd service on 127.0.0.1:2379.
  log "etcd: apt-get download etcd-server"
  ( cd "$build/deb" && apt_get download etcd-server ) >>"$build/apt.log" 2>&1 || { tail -20 "$build/apt.log" >&2; die "apt-get download etcd-server failed"; }
  dpkg-deb -x "$build"/deb/etcd-server_*.deb "$build/etcd-root"
  install -m 0755 "$build/etcd-root/usr/bin/etcd" "$CACHE_BIN/etcd.new" && mv -f "$CACHE_BIN/etcd.new" "$CACHE_BIN/etcd"

  log "kubernetes: apt-get source kubernetes (Debian bookworm, upstream v1.20.2 with vendor/)"
  ( cd "$build/src" && apt_get source kubernetes ) >"$build/source.log" 2>&1 || { tail -20 "$build/source.log" >&2; die "apt-get source kubernetes failed"; }
  local srcdir
  srcdir=$(find "$build/src" -mindepth 1 -maxdepth 1 -type d -name 'kubernetes-*' | head -1)
  [[ -n $srcdir ]] || die "apt-get source kubernetes unpacked nothing"
  # GOPATH mode (GO111MODULE=off) needs the tree at $GOPATH/src/k8s.io/kubernetes: move, not
  # symlink (go resolves symlinks and would find itself outside GOPATH).
  mkdir -p "$gopath/src/k8s.io"
  mv "$srcdir" "$tree"

  local version
  version=$(sed -n "s/.*'tag: \(v[0-9][0-9.]*\)'.*/\1/p" "$tree/hack/lib/version.sh" | head -1)
  local commit
  commit=$(sed -n "s/^ *KUBE_GIT_COMMIT='\([0-9a-f]*\)'.*/\1/p" "$tree/hack/lib/version.sh" | head -1)
  [[ $version == v1.20.* ]] || die "unexpected kubernetes source version '${version}' (want v1.20.x)"
  log "kubernetes source is $version ($commit)"

  # Snag 1: github.com/modern-go/reflect2 1.0.1 (vendored) reads runtime internals that
  # changed in Go 1.18: the apiserver crashes at run time (json-iterator -> reflect2,
  # "unexpected fault address" / nil map). Debian's 1.0.2 supports Go >= 1.18.
  local r2=/usr/share/gocode/src/github.com/modern-go/reflect2
  [[ -f $r2/reflect2.go ]] || die "missing $r2 (golang-github-modern-go-reflect2-dev)"
  rm -rf "$tree/vendor/github.com/modern-go/reflect2"
  cp -r "$r2" "$tree/vendor/github.com/modern-go/reflect2"
  rm -f "$tree/vendor/github.com/modern-go/reflect2/go.mod"

  # Snag 1b: custom-resource validation (go-openapi's type validator, vendored) takes every
  # zero value for null when built with Go >= 1.16: `reflect.DeepEqual(reflect.Zero(T),
  # reflect.ValueOf(data))` became true once reflect.Zero shared one zero buffer. A CR holding
  # `""` (an HTTPRoute parentRef `group: ""`, `domain: ""`) is then refused with `in body must
  # be of type string: "null"`, and a CRD with `default: ""` too. Released 1.20 binaries were
  # built with Go 1.15 and never had it; 1.21 removed the check (kubernetes/kubernetes#99804,
  # kubernetes/kube-openapi#230): the same one-line fix here.
  local zero_check='data == nil || reflect.DeepEqual(reflect.Zero(reflect.TypeOf(data)), reflect.ValueOf(data))'
  local patched=0 f
  while IFS= read -r f; do
    perl -pi -e 's/\Qdata == nil || reflect.DeepEqual(reflect.Zero(reflect.TypeOf(data)), reflect.ValueOf(data))\E/data == nil/' "$f"
    if grep -qF "$zero_check" "$f"; then die "could not patch the zero-value check in $f"; fi
    log "patched the zero-value-is-null check in ${f#"$tree"/}"
    patched=$((patched + 1))
  done < <(grep -rlF "$zero_check" "$tree/vendor" "$tree/staging" 2>/dev/null || true)
  ((patched > 0)) || die "the go-openapi zero-value check was not found: cannot fix empty-string validation"

  export GOPATH=$gopath GO111MODULE=off GOFLAGS='' CGO_ENABLED=0 GOCACHE=$build/gocache
  export PATH=/usr/lib/go/bin:$PATH
  log "using $(go version)"

  # Snag 2: the release tree has no pkg/generated/openapi/zz_generated.openapi.go
  # (generated at build time): build openapi-gen and generate it with the tree's own make.
  log "make gen_openapi (~1 min)"
  ( cd "$tree" && nice make gen_openapi ) >"$build/gen_openapi.log" 2>&1 || { tail -30 "$build/gen_openapi.log" >&2; die "make gen_openapi failed (log: $build/gen_openapi.log)"; }

  # Version stamping as hack/lib/version.sh does it (`kubectl version` shows v1.20.2).
  local ldflags="-s -w" pkg date minor
  date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  minor=${version#v1.}
  minor=${minor%%.*}
  for pkg in k8s.io/kubernetes/vendor/k8s.io/client-go/pkg/version k8s.io/kubernetes/vendor/k8s.io/component-base/version; do
    ldflags+=" -X $pkg.gitVersion=$version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitCommit=$commit -X $pkg.gitTreeState=archive -X $pkg.buildDate=$date"
  done
  log "go build kube-apiserver kube-controller-manager (~6-10 min on 2 cores)"
  mkdir -p "$build/out"
  ( cd "$tree" && nice go build -ldflags "$ldflags" -o "$build/out/" ./cmd/kube-apiserver ./cmd/kube-controller-manager ) \
    >"$build/go-build.log" 2>&1 || { tail -30 "$build/go-build.log" >&2; die "go build failed (log: $build/go-build.log)"; }
  local b
  for b in kube-apiserver kube-controller-manager; do
    install -m 0755 "$build/out/$b" "$CACHE_BIN/$b.new" && mv -f "$CACHE_BIN/$b.new" "$CACHE_BIN/$b"
  done
  {
    echo "kubernetes $version ($commit) from Debian source package: $(basename "$build"/src/kubernetes_*.dsc .dsc)"
    echo "etcd from $(basename "$build"/deb/etcd-server_*.deb)"
    echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) with $(go version) in $((SECONDS - t0)) s"
    echo "$BUILD_PATCHES"
  } >"$CACHE_BIN/BUILD-INFO"
  if [[ ${OFN_E2E_KEEP_BUILD:-0} != 1 ]]; then
    rm -rf "$build"
  fi
  log "binaries ready in $CACHE_BIN ($((SECONDS - t0)) s)"
}

cached_binaries_ok() {
  [[ -x $CACHE_BIN/etcd && -x $CACHE_BIN/kube-apiserver && -x $CACHE_BIN/kube-controller-manager ]] || return 1
  "$CACHE_BIN/kube-apiserver" --version 2>/dev/null | grep -q "v$K8S_MINOR_WANTED\." || return 1
  # binaries from before a fix in the build (BUILD_PATCHES) are rebuilt once
  grep -qxF "$BUILD_PATCHES" "$CACHE_BIN/BUILD-INFO" 2>/dev/null || return 1
}

ensure_cached_binaries() {
  mkdir -p "$CACHE_DIR"
  cached_binaries_ok && return
  # One build at a time (another checkout may be building into the same cache).
  exec 8>"$CACHE_DIR/.build.lock"
  log "no binaries in $CACHE_BIN yet: building them (once; reused afterwards)"
  flock -w 3600 8 || die "timed out waiting for another build (lock $CACHE_DIR/.build.lock)"
  cached_binaries_ok || build_binaries
  flock -u 8
  exec 8>&-
  cached_binaries_ok || die "binaries still missing in $CACHE_BIN after the build"
}

# Sets ETCD_BIN, APISERVER_BIN, KCM_BIN (may be empty).
select_binaries() {
  if [[ -n ${KUBEBUILDER_ASSETS:-} ]]; then
    [[ -x $KUBEBUILDER_ASSETS/etcd && -x $KUBEBUILDER_ASSETS/kube-apiserver ]] \
      || die "KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS has no etcd and kube-apiserver"
    ETCD_BIN=$KUBEBUILDER_ASSETS/etcd
    APISERVER_BIN=$KUBEBUILDER_ASSETS/kube-apiserver
    KCM_BIN=""
    if [[ -x $KUBEBUILDER_ASSETS/kube-controller-manager ]]; then
      KCM_BIN=$KUBEBUILDER_ASSETS/kube-controller-manager
    elif [[ -x $CACHE_BIN/kube-controller-manager ]]; then
      KCM_BIN=$CACHE_BIN/kube-controller-manager
    else
      log "WARNING: no kube-controller-manager (not in KUBEBUILDER_ASSETS, not built in $CACHE_BIN):" \
          "no garbage collection, namespace deletion hangs, no service-account tokens"
    fi
    log "using binaries from KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS"
  else
    ensure_cached_binaries
    ETCD_BIN=$CACHE_BIN/etcd
    APISERVER_BIN=$CACHE_BIN/kube-apiserver
    KCM_BIN=$CACHE_BIN/kube-controller-manager
  fi
}

# ---------------------------------------------------------------------------------------------
# Control plane
# ---------------------------------------------------------------------------------------------

port_in_use() {
  if command -v ss >/dev/null; then
    [[ -n $(ss -Htan "sport = :$1" 2>/dev/null) ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# A free TCP port in 20000-29999 that is not in $* (already picked).
free_port() {
  local p i
  for ((i = 0; i < 200; i++)); do
    p=$((20000 + RANDOM % 10000))
    [[ " $* " == *" $p "* ]] && continue
    port_in_use "$p" || { echo "$p"; return; }
  done
  die "no free port found"
}

gen_pki() {
  local d=$STATE_DIR/pki
  mkdir -p "$d"
  (
    cd "$d"
    umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -keyout ca.key -out ca.crt \
      -subj "/CN=ofn-webhook-e2e-ca" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"
    sign() { # name subject extfile-lines...
      local name=$1 subj=$2; shift 2
      printf '%s\n' "$@" >"$name.ext"
      openssl req -new -newkey rsa:2048 -nodes -sha256 -keyout "$name.key" -out "$name.csr" -subj "$subj"
      openssl x509 -req -sha256 -days 3650 -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial \
        -out "$name.crt" -extfile "$name.ext"
      rm -f "$name.csr" "$name.ext"
    }
    local svc_ip
    svc_ip=$(first_service_ip "$SERVICE_CIDR")
    sign apiserver "/CN=kube-apiserver" \
      "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=serverAuth" \
      "subjectAltName=IP:127.0.0.1,DNS:localhost,IP:$svc_ip,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
    sign admin "/O=system:masters/CN=ofn-e2e-admin" \
      "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=clientAuth"
    # Same identity as kubeadm gives the controller manager (bound by the RBAC bootstrap
    # policy); controllers then use their own service accounts.
    sign controller-manager "/CN=system:kube-controller-manager" \
      "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=clientAuth"
    openssl genrsa -out sa.key 2048
    openssl rsa -in sa.key -pubout -out sa.pub
    chmod 0644 ca.crt ./*.crt sa.pub
  ) >"$STATE_DIR/logs/openssl.log" 2>&1 || { cat "$STATE_DIR/logs/openssl.log" >&2; die "openssl failed"; }
}

first_service_ip() { # 10.0.0.0/24 -> 10.0.0.1
  local ip=${1%/*} a b c d
  IFS=. read -r a b c d <<<"$ip"
  echo "$a.$b.$c.$((d + 1))"
}

write_kubeconfig() { # file user cert key
  local file=$1 user=$2 cert=$3 key=$4
  cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: ofn-e2e
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority: $STATE_DIR/pki/ca.crt
users:
- name: $user
  user:
    client-certificate: $cert
    client-key: $key
contexts:
- name: ofn-e2e
  context:
    cluster: ofn-e2e
    user: $user
    namespace: default
current-context: ofn-e2e
EOF
  chmod 0600 "$file"
}

# Start a component in its own session (survives the calling shell), PID to the state dir.
launch() { # name binary args...
  local name=$1; shift
  # 8>&- 9>&-: the daemons must not inherit (and so hold forever) our flock descriptors
  setsid "$@" </dev/null >"$STATE_DIR/logs/$name.log" 2>&1 8>&- 9>&- &
  local pid=$!
  echo "$pid" >"$STATE_DIR/pids/$name"
  log "started $name (pid $pid, log $STATE_DIR/logs/$name.log)"
}

pid_of() { cat "$STATE_DIR/pids/$1" 2>/dev/null || true; }

# Alive and really ours: the command line mentions our state dir (guards against PID reuse).
is_ours() {
  local pid=$1
  [[ -n $pid && -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$STATE_DIR"
}

component_alive() { is_ours "$(pid_of "$1")"; }

start_failed() {
  local rc=$?
  log "start failed (exit $rc): stopping what was started"
  if [[ -z ${OFN_E2E_LOGS_DIR:-} && -d $STATE_DIR/logs ]]; then
    rm -rf "$STATE_DIR.failed-logs"
    cp -a "$STATE_DIR/logs" "$STATE_DIR.failed-logs"
    log "component logs kept in $STATE_DIR.failed-logs (removed by the next stop)"
  fi
  stop_own
  exit "$rc"
}

fail_start() {
  local name=$1 msg=$2
  log "ERROR: $msg"
  if [[ -f $STATE_DIR/logs/$name.log ]]; then
    log "errors / last lines of $name.log:"
    { grep -E '^[EF][0-9]{4} |^Error|^panic|^fatal' "$STATE_DIR/logs/$name.log" | tail -15
      tail -5 "$STATE_DIR/logs/$name.log"; } >&2
  fi
  exit 1   # the EXIT trap of cmd_start stops the rest
}

wait_for() { # name timeout-seconds command...
  local name=$1 timeout=$2; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    component_alive "$name" || fail_start "$name" "$name exited during start-up"
    ((SECONDS < deadline)) || fail_start "$name" "$name not ready after ${timeout}s"
    sleep 0.5
  done
}

admin_curl() { # path
  curl -fsS --max-time 5 --noproxy '*' --cacert "$STATE_DIR/pki/ca.crt" \
    --cert "$STATE_DIR/pki/admin.crt" --key "$STATE_DIR/pki/admin.key" "https://127.0.0.1:$APISERVER_PORT$1"
}

readyz_ok() { [[ $(admin_curl /readyz) == ok ]]; }

default_sa_exists() { admin_curl /api/v1/namespaces/default/serviceaccounts/default >/dev/null; }

k8s_minor() { # binary -> minor version number ("Kubernetes v1.20.2" -> 20)
  local v
  v=$("$1" --version 2>/dev/null | sed -n 's/.*v1\.\([0-9]*\)\..*/\1/p' | head -1)
  echo "${v:-0}"
}

start_own() {
  select_binaries
  rm -rf "$STATE_DIR"
  mkdir -p "$STATE_DIR"/{pki,pids,logs,etcd,apiserver-certs}
  chmod 0700 "$STATE_DIR"
  echo own >"$STATE_DIR/mode"

  local etcd_port etcd_peer_port
  etcd_port=${OFN_E2E_ETCD_PORT:-$(free_port)}
  etcd_peer_port=${OFN_E2E_ETCD_PEER_PORT:-$(free_port "$etcd_port")}
  APISERVER_PORT=${OFN_E2E_APISERVER_PORT:-$(free_port "$etcd_port" "$etcd_peer_port")}
  local p
  for p in "$etcd_port" "$etcd_peer_port" "$APISERVER_PORT"; do
    port_in_use "$p" && die "port $p on 127.0.0.1 is in use"
  done
  printf 'ETCD_PORT=%s\nETCD_PEER_PORT=%s\nAPISERVER_PORT=%s\n' "$etcd_port" "$etcd_peer_port" "$APISERVER_PORT" >"$STATE_DIR/ports"

  gen_pki
  write_kubeconfig "$STATE_DIR/kubeconfig" ofn-e2e-admin "$STATE_DIR/pki/admin.crt" "$STATE_DIR/pki/admin.key"
  write_kubeconfig "$STATE_DIR/controller-manager.kubeconfig" system:kube-controller-manager \
    "$STATE_DIR/pki/controller-manager.crt" "$STATE_DIR/pki/controller-manager.key"

  # etcd: client + peer on loopback, no metrics listener. --max-request-bytes raised (default
  # 1.5 MiB) for big CRDs such as OpenFunction's Function.
  launch etcd "$ETCD_BIN" \
    --name ofn-e2e \
    --data-dir "$STATE_DIR/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" \
    --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer_port" \
    --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer_port" \
    --initial-cluster "ofn-e2e=http://127.0.0.1:$etcd_peer_port" \
    --initial-cluster-state new \
    --max-request-bytes 10485760 \
    --quota-backend-bytes 1073741824 \
    --snapshot-count 10000 \
    --log-level warn
  wait_for etcd 60 curl -fsS --max-time 2 --noproxy '*' "http://127.0.0.1:$etcd_port/health"

  # Deprecated plain-HTTP ports (apiserver 8080, controller-manager 10252 on ALL interfaces)
  # exist up to 1.23: turn them off there; the flags are gone in 1.24+ (KUBEBUILDER_ASSETS).
  local apiserver_legacy_flags=() kcm_legacy_flags=()
  if (( $(k8s_minor "$APISERVER_BIN") < 24 )); then apiserver_legacy_flags=(--insecure-port=0); fi
  if [[ -n $KCM_BIN ]] && (( $(k8s_minor "$KCM_BIN") < 24 )); then kcm_legacy_flags=(--port=0); fi

  # kube-apiserver. --endpoint-reconciler-type=none because the `kubernetes` Endpoints cannot
  # hold 127.0.0.1 (validation rejects loopback endpoint IPs; it would log errors forever).
  launch kube-apiserver "$APISERVER_BIN" \
    --bind-address=127.0.0.1 \
    --advertise-address=127.0.0.1 \
    --secure-port="$APISERVER_PORT" \
    "${apiserver_legacy_flags[@]}" \
    --cert-dir="$STATE_DIR/apiserver-certs" \
    --tls-cert-file="$STATE_DIR/pki/apiserver.crt" \
    --tls-private-key-file="$STATE_DIR/pki/apiserver.key" \
    --client-ca-file="$STATE_DIR/pki/ca.crt" \
    --etcd-servers="http://127.0.0.1:$etcd_port" \
    --service-cluster-ip-range="$SERVICE_CIDR" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$STATE_DIR/pki/sa.pub" \
    --service-account-signing-key-file="$STATE_DIR/pki/sa.key" \
    --authorization-mode=RBAC \
    --enable-admission-plugins=NamespaceLifecycle,LimitRanger,ServiceAccount,DefaultStorageClass,DefaultTolerationSeconds,ResourceQuota,OwnerReferencesPermissionEnforcement,MutatingAdmissionWebhook,ValidatingAdmissionWebhook \
    --allow-privileged=true \
    --endpoint-reconciler-type=none \
    --profiling=false \
    --v=1
  wait_for kube-apiserver "$READY_TIMEOUT" readyz_ok
  log "kube-apiserver ready on https://127.0.0.1:$APISERVER_PORT"

  if [[ -n $KCM_BIN ]]; then
    # No serving at all (--secure-port=0, deprecated insecure --port=0): nothing listens.
    launch kube-controller-manager "$KCM_BIN" \
      --kubeconfig="$STATE_DIR/controller-manager.kubeconfig" \
      --bind-address=127.0.0.1 \
      --secure-port=0 \
      "${kcm_legacy_flags[@]}" \
      --leader-elect=false \
      --controllers="$KCM_CONTROLLERS" \
      --use-service-account-credentials=true \
      --service-account-private-key-file="$STATE_DIR/pki/sa.key" \
      --root-ca-file="$STATE_DIR/pki/ca.crt" \
      --cluster-signing-cert-file="$STATE_DIR/pki/ca.crt" \
      --cluster-signing-key-file="$STATE_DIR/pki/ca.key" \
      --profiling=false \
      --v=1
    # Ready for tests once controllers work: the service-account controller made `default`.
    wait_for kube-controller-manager "$READY_TIMEOUT" default_sa_exists
    log "kube-controller-manager running (controllers: $KCM_CONTROLLERS)"
  fi
  date -u +%Y-%m-%dT%H:%M:%SZ >"$STATE_DIR/started"
}

kill_recorded() { # name
  local name=$1 pid i
  pid=$(pid_of "$name")
  [[ -n $pid ]] || return 0
  if is_ours "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      is_ours "$pid" || break
      sleep 0.2
    done
    if is_ours "$pid"; then
      log "$name (pid $pid) ignored SIGTERM for 20s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
    fi
    # exited; give its reaper (init: the daemons are orphans) a moment, so that `pgrep`
    # right after `stop` does not list a <defunct> entry
    for ((i = 0; i < 25; i++)); do
      [[ -e /proc/$pid ]] || break
      sleep 0.2
    done
    log "stopped $name (pid $pid)"
  fi
  rm -f "$STATE_DIR/pids/$name"
}

stop_own() {
  [[ -d $STATE_DIR ]] || return 0
  local n
  for n in kube-controller-manager kube-apiserver etcd; do
    kill_recorded "$n"
  done
  if [[ -n ${OFN_E2E_LOGS_DIR:-} && -d $STATE_DIR/logs ]]; then
    mkdir -p "$OFN_E2E_LOGS_DIR"
    cp -a "$STATE_DIR/logs/." "$OFN_E2E_LOGS_DIR/"
    log "logs copied to $OFN_E2E_LOGS_DIR"
  fi
  rm -rf "$STATE_DIR"
}

running() {
  [[ -f $STATE_DIR/mode ]] || return 1
  case $(cat "$STATE_DIR/mode") in
    external) return 0 ;;
    own)
      [[ -f $STATE_DIR/started ]] || return 1
      component_alive etcd && component_alive kube-apiserver || return 1
      [[ ! -f $STATE_DIR/pids/kube-controller-manager ]] || component_alive kube-controller-manager
      ;;
    *) return 1 ;;
  esac
}

print_env() {
  running || die "no control plane running (state dir $STATE_DIR): run '$0 start'"
  if [[ $(cat "$STATE_DIR/mode") == external ]]; then
    printf 'export KUBECONFIG=%q\n' "$(cat "$STATE_DIR/kubeconfig-path")"
  else
    printf 'export KUBECONFIG=%q\n' "$STATE_DIR/kubeconfig"
  fi
  printf 'export OFN_E2E_MODE=%q\n' "$(cat "$STATE_DIR/mode")"
  printf 'export OFN_E2E_STATE_DIR=%q\n' "$STATE_DIR"
}

external_cluster_ok() {
  [[ -n ${KUBECONFIG:-} && ${OFN_E2E_IGNORE_KUBECONFIG:-0} != 1 ]] || return 1
  # our own kubeconfig from an earlier run that has been stopped is not "an existing cluster"
  [[ $KUBECONFIG != "$STATE_DIR/kubeconfig" ]] || return 1
  command -v kubectl >/dev/null || return 1
  kubectl version --request-timeout=5s >/dev/null 2>&1
}

cmd_start() {
  mkdir -p "$(dirname "$STATE_DIR")"
  exec 9>"$STATE_DIR.lock"
  flock -w 600 9 || die "another start/stop holds $STATE_DIR.lock"
  if running; then
    log "already running ($(cat "$STATE_DIR/mode"); state dir $STATE_DIR)"
    print_env
    return
  fi
  if external_cluster_ok; then
    rm -rf "$STATE_DIR"
    mkdir -p "$STATE_DIR"
    echo external >"$STATE_DIR/mode"
    echo "$KUBECONFIG" >"$STATE_DIR/kubeconfig-path"
    log "using the existing cluster of KUBECONFIG=$KUBECONFIG"
    print_env
    return
  fi
  # leftovers of a crashed or half-started run
  stop_own
  local t0=$SECONDS
  # Whatever goes wrong (or Ctrl-C): kill what was started, keep the logs for a look.
  trap 'exit 130' INT TERM
  trap 'start_failed' EXIT
  start_own
  trap - EXIT INT TERM
  log "control plane up in $((SECONDS - t0)) s; kubeconfig: $STATE_DIR/kubeconfig"
  print_env
}

cmd_stop() {
  mkdir -p "$(dirname "$STATE_DIR")"
  exec 9>"$STATE_DIR.lock"
  flock -w 600 9 || die "another start/stop holds $STATE_DIR.lock"
  if [[ -f $STATE_DIR/mode && $(cat "$STATE_DIR/mode") == external ]]; then
    log "external cluster: nothing to stop"
  fi
  stop_own
  rm -rf "$STATE_DIR.failed-logs"
  rm -f "$STATE_DIR.lock"
  log "stopped; state dir removed"
}

case ${1:-} in
  start) cmd_start ;;
  stop) cmd_stop ;;
  env) print_env ;;
  status) if running; then log "running ($(cat "$STATE_DIR/mode")), state dir $STATE_DIR"; else log "not running"; exit 1; fi ;;
  build) ensure_cached_binaries; cat "$CACHE_BIN/BUILD-INFO" >&2 ;;
  *) echo "usage: $0 start|stop|env|status|build" >&2; exit 2 ;;
esac
