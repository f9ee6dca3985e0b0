package dev.ofn.webhook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.admission.Endpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM (the shutdown hook's {@code drainAndStop}): /readyz fails at once, reviews are still
 * answered.
 */
class GracefulShutdownTest {
  @Test
  void drainingFailsReadinessButKeepsAnswering() throws Exception {
    TestServer server = TestServer.start(Duration.ofSeconds(3));
    HttpClient plain = HttpClient.newHttpClient();
    URI readyz = URI.create("http://127.0.0.1:" + server.server.probePort() + "/readyz");
    assertEquals(
        200,
        plain
            .send(HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.ofString())
            .statusCode());

    Thread stopper = new Thread(server.server::drainAndStop);
    stopper.start();
    HttpResponse<String> draining = awaitStatus(plain, readyz, 503);
    assertEquals("not ready: shutting down\n", draining.body());
    assertTrue(
        server
            .review(
                Endpoint.VALIDATE_FUNCTION,
                "CREATE",
                Fixtures.load("function-sample-serving-only.yaml", "default"),
                null)
            .path("allowed")
            .asBoolean());

    stopper.join(15_000);
    server.close();
  }

  private static HttpResponse<String> awaitStatus(HttpClient client, URI uri, int status)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      HttpResponse<String> response =
          client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == status || System.nanoTime() > deadline) {
        return response;
      }
      Thread.sleep(10);
    }
  }
}
