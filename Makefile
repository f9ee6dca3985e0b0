# All set-up on a fresh machine: `make run` and `make test`.
MVN ?= mvn -B -q
JAR := target/ofn-webhook.jar

.PHONY: build run test bench e2e certs clean

build: $(JAR)

$(JAR): pom.xml $(shell find src -type f 2>/dev/null)
	$(MVN) -DskipTests package

run: build
	./webhook serve --standalone

test:
	$(MVN) verify

bench: build
	bash test/bench/run.sh

e2e: build
	bash test/e2e/run.sh

certs: build
	./webhook certs --out certs

clean:
	$(MVN) clean
