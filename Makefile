# All set-up on a fresh machine: `make run` and `make test`.
MVN ?= mvn -B -q
JAR := target/ofn-webhook.jar
# The launcher's JVM: a Java 25 when there is one (its AOT cache), else `java` (17's class-data archive).
CLASS_DATA := target/ofn-webhook.$(shell bash scripts/find-java.sh 25 >/dev/null && echo aot || echo jsa)

.PHONY: build run test fuzz bench bench-apiserver bench-controller e2e certs clean release docs image

build: $(JAR) $(CLASS_DATA)

$(JAR): pom.xml $(shell find src -type f 2>/dev/null)
	$(MVN) -DskipTests package

# Class data for a faster start (optional: without it the launcher just starts slower).
$(CLASS_DATA): $(JAR)
	bash scripts/cds-archive.sh || echo "make: no class data; ./webhook starts without it" >&2

run: build
	./webhook serve --standalone

test:
	$(MVN) verify

# The admission fuzz test with a random seed (make test runs it with a fixed one); a failure
# prints the seed to replay with -Dfuzz.seed=N.
fuzz:
	$(MVN) test -Dtest=AdmissionFuzzTest -Dfuzz.seed=$$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')

bench: build
	bash test/bench/run.sh

# Only the real-apiserver section of `make bench` (e2e's control plane; skips when none can be had).
bench-apiserver: build
	bash test/bench/apiserver.sh

# Only the controller section of `make bench`: 500 Functions made Running on e2e's control plane.
bench-controller: build
	bash test/bench/controller.sh

# Both installs, each as the ServiceAccount of manifests/ (RBAC of that mode) on a fresh control plane;
# then the image stage: the Dockerfile built on a Debian-made base and run (skipped, saying why,
# where nothing can run containers).
e2e: build
	bash test/e2e/run.sh
	OFN_E2E_INSTALL=beside-openfunction bash test/e2e/run.sh
	bash test/e2e/image.sh

# The Dockerfile built from the jar of `make build`, with podman or docker (whichever runs here).
# RUNTIME_BASE=... another runtime base (Java 25); RUNTIME_BASE=debian one made from Debian packages.
image: $(JAR)
	bash scripts/image.sh $(IMAGE)

# dist/: the install as one file for `kubectl apply -f` per mode (our controller; beside
# OpenFunction; Gateway API only; each with cert-manager), the CRDs on their own (server-side
# apply; the header names the Gateway API bundle version), and the Helm chart packaged. Needs
# kubectl (its kustomize); no network.
VERSION := $(shell sed -n 's/^version: *//p' charts/ofn-webhook/Chart.yaml)
TAR_FLAGS := --sort=name --mtime=2000-01-01 --owner=0 --group=0 --numeric-owner
RELEASES := ofn-webhook: ofn-webhook-cert-manager:cert-manager \
	ofn-webhook-beside-openfunction:beside-openfunction \
	ofn-webhook-beside-openfunction-cert-manager:beside-openfunction,cert-manager \
	ofn-webhook-gateway-api:gateway-api-only \
	ofn-webhook-gateway-api-cert-manager:gateway-api-only,cert-manager
GATEWAY_API_BUNDLE := $(shell sed -n 's/^ *gateway.networking.k8s.io\/bundle-version: *//p' manifests/crds/gateway.networking.k8s.io_httproutes.yaml)
release:
	rm -rf dist && mkdir -p dist/overlay
	@set -e; for r in $(RELEASES); do \
	  name=$${r%%:*}; components=$${r#*:}; \
	  { printf 'resources: [../../manifests]\ncomponents: ['; \
	    for c in $$(echo $$components | tr , ' '); do printf '../../manifests/components/%s, ' $$c; done; \
	    printf ']\n'; } > dist/overlay/kustomization.yaml; \
	  { echo "# ofn-webhook $(VERSION) ($${components:-our controller, own certificates}): kubectl apply -f $$name.yaml"; \
	    kubectl kustomize dist/overlay; } > dist/$$name.yaml; \
	done
	rm -rf dist/overlay
	{ echo "# CRDs ofn-webhook reads, for clusters without them: OpenFunction's, and Gateway API"; \
	  echo "# $(GATEWAY_API_BUNDLE) standard channel (unchanged upstream files)."; \
	  echo "# Never apply this over newer Gateway API CRDs (it would downgrade them); the installed"; \
	  echo "# version: kubectl get crd gateways.gateway.networking.k8s.io -o jsonpath='{.metadata.annotations.gateway\.networking\.k8s\.io/bundle-version}'"; \
	  echo "# kubectl apply --server-side -f ofn-webhook-crds.yaml"; \
	  kubectl kustomize manifests/crds; } > dist/ofn-webhook-crds.yaml
	tar $(TAR_FLAGS) -cf - -C charts ofn-webhook | gzip -n > dist/ofn-webhook-$(VERSION).tgz
	@ls -l dist

# docs/configuration.md's copy of `webhook serve --help`.
docs: build
	bash scripts/configuration-doc.sh

certs: build
	./webhook certs --out certs

clean:
	$(MVN) clean
