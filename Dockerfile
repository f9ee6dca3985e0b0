# syntax=docker/dockerfile:1
# Build: docker build -t ghcr.io/ofn-webhook/ofn-webhook:$(sed -n 's/^appVersion: "\(.*\)"/\1/p' charts/ofn-webhook/Chart.yaml) .
# (the tag is the pom's version, which the chart's appVersion repeats: VersionAgreementTest)

# --- build stage: Maven and a full JDK, thrown away afterwards ---
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
# Dependencies first, in their own layer (and a BuildKit cache): source edits do not re-download them.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q dependency:go-offline
COPY src ./src
# target/ofn-webhook.jar + target/lib/ (runtime dependencies, named in the jar's Class-Path).
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -Dmaven.test.skip=true package

# --- training stage: the runtime image itself, so that the class-data archive is written by the
# very JVM that will map it (an archive from another JVM build is refused at start) ---
FROM gcr.io/distroless/java17-debian12:nonroot AS train
WORKDIR /app
COPY --from=build /src/target/lib/ /app/lib/
COPY --from=build /src/target/ofn-webhook.jar /app/ofn-webhook.jar
# The hidden `cds-training` command runs the standalone server through one review per endpoint kind
# and exits; the JVM then writes the classes it loaded. Same flags as at run time (the archive
# records the garbage collector).
RUN ["java", "-XX:+UseSerialGC", "-XX:ArchiveClassesAtExit=/tmp/ofn-webhook.jsa", "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-jar", "/app/ofn-webhook.jar", "cds-training"]

# --- runtime stage: a JRE only, no shell, no package manager, non-root (uid 65532) ---
FROM gcr.io/distroless/java17-debian12:nonroot
WORKDIR /app
COPY --from=build /src/target/lib/ /app/lib/
COPY --from=build /src/target/ofn-webhook.jar /app/ofn-webhook.jar
COPY --from=train /tmp/ofn-webhook.jsa /app/ofn-webhook.jsa
# glibc's default of one malloc arena per thread and core only inflates the resident set.
ENV MALLOC_ARENA_MAX=2
USER 65532:65532
EXPOSE 9443 8081
# The launcher's flags (see ./webhook) on the command line itself: JAVA_TOOL_OPTIONS or
# JDK_JAVA_OPTIONS would make the JVM print "Picked up ..." at every start. The heap's ceiling
# follows the container's memory limit. The archive is used when it matches this JVM and jar
# (always, in this image); -Xshare:auto (the default) starts without it otherwise.
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-Xms48m", "-Xmn32m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-XX:MaxRAMPercentage=75", "-XX:+IgnoreUnrecognizedVMOptions", "-XX:TrimNativeHeapInterval=5000", "-XX:+ExitOnOutOfMemoryError", "-XX:SharedArchiveFile=/app/ofn-webhook.jsa", "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-jar", "/app/ofn-webhook.jar"]
CMD ["serve"]
