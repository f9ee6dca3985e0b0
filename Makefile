# All set-up on a fresh machine: `make run` and `make test`.
MVN ?= mvn -B -q
JAR := target/ofn-webhook.jar
JSA := target/ofn-webhook.jsa

.PHONY: build run test fuzz bench e2e certs clean

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

# The admission fuzz test with a random seed (make test runs it with a fixed one); a failure
# prints the seed to replay with -Dfuzz.seed=N.
fuzz:
	$(MVN) test -Dtest=AdmissionFuzzTest -Dfuzz.seed=$$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')

bench: build
	bash test/bench/run.sh

e2e: build
	bash test/e2e/run.sh

certs: build
	./webhook certs --out certs

clean:
	$(MVN) clean
