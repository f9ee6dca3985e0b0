package dev.ofn.webhook.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.function.Supplier;

/**
 * Plain HTTP probes: {@code /healthz} (process alive), {@code /readyz} (every readiness check
 * passes), {@code /metrics} (Prometheus text).
 */
public final class ProbeServer {
  private final Vertx vertx;
  private final String host;
  private final int port;
  private final Readiness readiness;
  private final Supplier<String> metrics;
  private HttpServer server;

  public ProbeServer(
      Vertx vertx, String host, int port, Readiness readiness, Supplier<String> metrics) {
    this.vertx = vertx;
    this.host = host;
    this.port = port;
    this.readiness = readiness;
    this.metrics = metrics;
  }

  public Future<HttpServer> start() {
    return vertx
        .createHttpServer()
        .requestHandler(
            req -> {
              switch (req.path()) {
                case "/healthz" -> req.response().end("ok\n");
                case "/readyz" -> {
                  List<String> failing = readiness.failing();
                  StringBuilder warnings = new StringBuilder();
                  readiness
                      .warnings()
                      .forEach(w -> warnings.append("warning: ").append(w).append('\n'));
                  if (failing.isEmpty()) {
                    req.response().end("ok\n" + warnings);
                  } else {
                    req.response()
                        .setStatusCode(503)
                        .end("not ready: " + String.join(", ", failing) + "\n" + warnings);
                  }
                }
                case "/metrics" ->
                    req.response()
                        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(metrics.get());
                default -> req.response().setStatusCode(404).end("not found\n");
              }
            })
        .listen(port, host)
        .onSuccess(s -> server = s);
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
