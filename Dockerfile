# syntax=docker/dockerfile:1
# Build: docker build -t ghcr.io/ofn-webhook/ofn-webhook:0.1.0 .

# --- build stage: Maven and a full JDK, thrown away afterwards ---
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
# Dependencies first, in their own layer (and a BuildKit cache): source edits do not re-download them.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q dependency:go-offline
COPY src ./src
# target/ofn-webhook.jar + target/lib/ (runtime dependencies, named in the jar's Class-Path).
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -Dmaven.test.skip=true package

# --- runtime stage: a JRE only, no shell, no package manager, non-root (uid 65532) ---
FROM gcr.io/distroless/java17-debian12:nonroot
WORKDIR /app
COPY --from=build /src/target/lib/ /app/lib/
COPY --from=build /src/target/ofn-webhook.jar /app/ofn-webhook.jar
# The launcher's flags (see ./webhook); the heap's ceiling follows the container's memory limit.
ENV JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -Xms48m -Xmn32m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:MaxRAMPercentage=75 -XX:+IgnoreUnrecognizedVMOptions -XX:TrimNativeHeapInterval=5000 -XX:+ExitOnOutOfMemoryError" \
    MALLOC_ARENA_MAX=2
USER 65532:65532
EXPOSE 9443 8081
ENTRYPOINT ["java", "-jar", "/app/ofn-webhook.jar"]
CMD ["serve"]
