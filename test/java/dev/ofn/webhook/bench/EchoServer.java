package dev.ofn.webhook.bench;

import dev.ofn.webhook.server.AdmissionServer;
import dev.ofn.webhook.server.ServingCert;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmark's upper bound: a bare Vert.x HTTPS endpoint with the admission server's own
 * listener options ({@link AdmissionServer#httpOptions}: TLS, ALPN, HTTP/2 limits, TCP_NODELAY),
 * the same event-loop count and one listener per loop as {@code webhook serve}, and the same
 * certificates, answering every POST with a canned AdmissionReview after reading the body. No
 * routing, no JSON, no core.
 *
 * <p>{@code java <the launcher's flags> -cp target/test-classes:target/classes:target/lib/*
 * dev.ofn.webhook.bench.EchoServer PORT CERTS_DIR}
 */
public final class EchoServer {
  static final byte[] CANNED =
      ("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
              + "\"response\":{\"uid\":\"705ab4f5-6393-11e8-b7cc-42010a800002\",\"allowed\":true}}")
          .getBytes(StandardCharsets.UTF_8);

  private EchoServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Path certs = Path.of(args[1]);
    ServingCert cert =
        new ServingCert(
            Files.readString(certs.resolve("tls.crt")), Files.readString(certs.resolve("tls.key")));
    // as WebhookServer: one event loop per core, at least two
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(Math.max(2, Runtime.getRuntime().availableProcessors())));
    Buffer canned = Buffer.buffer(CANNED);
    AdmissionServer.Options options = new AdmissionServer.Options("127.0.0.1", port, true);
    // as AdmissionServer: one listener per event loop, sharing the port
    vertx
        .deployVerticle(
            () ->
                new VerticleBase() {
                  @Override
                  public Future<?> start() {
                    return vertx
                        .createHttpServer(AdmissionServer.httpOptions(options, cert))
                        .requestHandler(
                            req ->
                                req.body()
                                    .onComplete(
                                        body ->
                                            req.response()
                                                .putHeader("Content-Type", "application/json")
                                                .end(canned)))
                        .listen();
                  }
                },
            new DeploymentOptions().setInstances(options.instances()))
        .toCompletionStage()
        .toCompletableFuture()
        .get();
    System.err.println("echo: listening on https://127.0.0.1:" + port);
  }
}
