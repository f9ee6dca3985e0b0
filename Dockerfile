# syntax=docker/dockerfile:1
# Build: make image (podman or docker, whichever runs here; the jar from the host's Maven build), or
#   docker build -t ghcr.io/ofn-webhook/ofn-webhook:$(sed -n 's/^appVersion: "\(.*\)"/\1/p' charts/ofn-webhook/Chart.yaml) .
# (the tag is the pom's version, which the chart's appVersion repeats: VersionAgreementTest)
#
# Build arguments:
#   RUNTIME_BASE  the image the server runs on: any with Java 25 as `java` on PATH and /tmp writable
#                 at build time (the AOT training writes there). Default: distroless Java 25, non-root.
#                 scripts/debian-base.sh makes one from Debian packages (no registry).
#   JAR           where the jar comes from: `source` (default: Maven in BUILD_BASE builds it from
#                 pom.xml and src/) or `host` (target/ofn-webhook.jar and target/lib/ of a build on
#                 the host, as `make image` does: nothing but RUNTIME_BASE is needed then).
#   BUILD_BASE    Maven and a JDK for JAR=source. The code is Java 17; only the runtime is 25.
ARG RUNTIME_BASE=gcr.io/distroless/java25-debian13:nonroot
ARG BUILD_BASE=maven:3.9-eclipse-temurin-17
ARG JAR=source

# --- the jar built from source: Maven and a full JDK, thrown away afterwards ---
FROM ${BUILD_BASE} AS jar-source
WORKDIR /src
COPY pom.xml .
# Dependencies first, in their own layer (and a BuildKit cache): source edits do not re-download them.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q dependency:go-offline
COPY src ./src
# target/ofn-webhook.jar + target/lib/ (runtime dependencies, named in the jar's Class-Path).
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -Dmaven.test.skip=true package \
 && mkdir /out && cp -r target/ofn-webhook.jar target/lib /out/

# --- the jar the host built (JAR=host) ---
FROM scratch AS jar-host
COPY target/ofn-webhook.jar /out/ofn-webhook.jar
COPY target/lib/ /out/lib/

FROM jar-${JAR} AS jar

# --- training stage: the runtime image itself, so that the AOT cache is written by the very JVM
# that will map it (a cache from another JVM build is refused at start) ---
FROM ${RUNTIME_BASE} AS train
COPY --from=jar /out/ /app/
# The hidden `cds-training` command runs the standalone server through one review per endpoint kind
# and exits; the JVM then writes the AOT cache (JEP 483/514/515: classes loaded and linked, method
# profiles). The flags that shape the cache (collector, compact headers) are the ENTRYPOINT's.
RUN ["java", "-XX:+UseSerialGC", "-XX:+UseCompactObjectHeaders", "-XX:AOTCacheOutput=/tmp/ofn-webhook.aot", "-Xlog:aot=error", "-Xlog:cds=off", "-jar", "/app/ofn-webhook.jar", "cds-training"]

# --- runtime stage: a JRE only, non-root (uid 65532) ---
FROM ${RUNTIME_BASE}
COPY --from=jar /out/ /app/
COPY --from=train /tmp/ofn-webhook.aot /app/ofn-webhook.aot
WORKDIR /app
# glibc's default of one malloc arena per thread and core only inflates the resident set.
ENV MALLOC_ARENA_MAX=2
USER 65532:65532
EXPOSE 9443 8081
# The launcher's flags (see ./webhook) on the command line itself: JAVA_TOOL_OPTIONS or
# JDK_JAVA_OPTIONS would make the JVM print "Picked up ..." at every start. The heap's ceiling
# follows the container's memory limit. The AOT cache always matches this JVM and jar in this
# image; -XX:AOTMode=auto (the default) would start without it otherwise, silently (-Xlog off: a
# warning line would break --log-format json).
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-XX:+UseCompactObjectHeaders", "-Xms48m", "-Xmn32m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-XX:MaxRAMPercentage=75", "-XX:TrimNativeHeapInterval=5000", "-XX:+ExitOnOutOfMemoryError", "-XX:AOTCache=/app/ofn-webhook.aot", "-Xlog:aot=off", "-Xlog:cds=off", "-jar", "/app/ofn-webhook.jar"]
CMD ["serve"]
