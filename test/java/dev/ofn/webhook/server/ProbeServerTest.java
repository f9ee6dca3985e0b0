package dev.ofn.webhook.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** /readyz: failing checks make it 503; warnings are reported without failing it. */
class ProbeServerTest {
  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aWarningIsShownWhileReadinessHolds() throws Exception {
    Readiness readiness = new Readiness();
    AtomicReference<Optional<String>> problem = new AtomicReference<>(Optional.empty());
    readiness.warnWhen("leader election", problem::get);
    ProbeServer probes = new ProbeServer(vertx, "127.0.0.1", 0, readiness, () -> "");
    probes.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    URI readyz = URI.create("http://127.0.0.1:" + probes.port() + "/readyz");
    HttpClient client = HttpClient.newHttpClient();

    HttpResponse<String> ok =
        client.send(HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ok.statusCode());
    assertEquals("ok\n", ok.body());

    problem.set(Optional.of("namespaces \"x\" not found"));
    HttpResponse<String> warned =
        client.send(HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, warned.statusCode(), "admission still answers: readiness holds");
    assertEquals("ok\nwarning: leader election: namespaces \"x\" not found\n", warned.body());

    readiness.add("certificates", () -> false);
    HttpResponse<String> failing =
        client.send(HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(503, failing.statusCode());
    assertEquals(
        "not ready: certificates\nwarning: leader election: namespaces \"x\" not found\n",
        failing.body());
  }
}
