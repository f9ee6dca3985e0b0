package dev.ofn.webhook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.admission.Webhooks;
import dev.ofn.webhook.app.ServeConfig;
import dev.ofn.webhook.gateways.StaticGatewayCatalog;
import dev.ofn.webhook.routing.ConflictIndex;
import dev.ofn.webhook.server.ServingCert;
import dev.ofn.webhook.server.WarmUp;
import dev.ofn.webhook.tls.CertBundle;
import dev.ofn.webhook.tls.CertificateAuthority;
import dev.ofn.webhook.tls.Sans;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The warm-up before ready (functional, not timed): every bundled review is answered 200 over both
 * paths, nothing is recorded (dry runs), nothing is counted in the metrics, and readiness waits for
 * it.
 */
class WarmUpTest {
  @Test
  void answersEveryReviewWithoutSideEffects() throws Exception {
    Webhooks webhooks =
        new Webhooks(
            StaticGatewayCatalog.builtIn(), new ConflictIndex(), new Webhooks.Settings(true, true));
    CertBundle bundle =
        CertificateAuthority.generate(Clock.systemUTC())
            .issue(Sans.standalone(List.of(), List.of()));
    Vertx vertx = Vertx.vertx();
    try {
      WarmUp.Result result =
          WarmUp.run(
              vertx,
              webhooks.handlers(),
              new ServingCert(bundle.certPem(), bundle.keyPem()),
              true,
              2,
              14,
              Duration.ofMinutes(2));
      assertFalse(result.timedOut(), result.toString());
      assertEquals(0, result.failed(), result.toString());
      // 2 rounds over HTTPS, 14 direct: 5 reviews a round, and the 2 Gateway reviews every tenth
      assertEquals(2 * 5 + 2, result.overTheWire(), result.toString());
      assertEquals(14 * 5 + 2 * 2, result.direct(), result.toString());
      assertEquals(2 * 5 + 2, WarmUp.background(webhooks.handlers(), 2));
      assertEquals(0, webhooks.indexedKeys(), "dry runs reserve no route keys");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  @Test
  void readinessWaitsForTheWarmUpAndTheMetricsDoNotCountIt() throws Exception {
    try (TestServer server =
        TestServer.start(
            TestServer.defaults()
                .warmUp(new ServeConfig.WarmUpPlan(16, Duration.ofSeconds(1), 0, 0)))) {
      HttpClient plain = HttpClient.newHttpClient();
      URI readyz = URI.create("http://127.0.0.1:" + server.server.probePort() + "/readyz");
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      HttpResponse<String> ready;
      do {
        ready =
            plain.send(
                HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(
            ready.statusCode() == 200 || ready.body().equals("not ready: warm-up\n"), ready.body());
        Thread.sleep(20);
      } while (ready.statusCode() != 200 && System.nanoTime() < deadline);
      assertEquals(200, ready.statusCode(), ready.body());
      String metrics =
          plain
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.server.probePort() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertTrue(
          metrics
              .lines()
              .filter(line -> line.startsWith("ofn_webhook_requests_total{"))
              .allMatch(line -> line.endsWith(" 0.0")),
          metrics);
    }
  }
}
