# All set-up on a fresh machine: `make run` and `make test`.
MVN ?= mvn -B -q
JAR := target/ofn-webhook.jar
JSA := target/ofn-webhook.jsa

.PHONY: build run test bench bench-apiserver e2e certs clean

build: $(JAR) $(JSA)

$(JAR): pom.xml $(shell find src -type f 2>/dev/null)
	$(MVN) -DskipTests package

# Class-data archive for a faster start (optional: without it the launcher just starts slower).
$(JSA): $(JAR)
	bash scripts/cds-archive.sh || echo "make: no class-data archive; ./webhook starts without one" >&2

run: build
	./webhook serve --standalone

test:
	$(MVN) verify

bench: build
	bash test/bench/run.sh

# Only the real-apiserver section of `make bench` (e2e's control plane; skips when none can be had).
bench-apiserver: build
	bash test/bench/apiserver.sh

e2e: build
	bash test/e2e/run.sh

certs: build
	./webhook certs --out certs

clean:
	$(MVN) clean
