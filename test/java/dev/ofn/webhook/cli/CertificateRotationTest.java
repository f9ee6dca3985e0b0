package dev.ofn.webhook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.admission.Endpoint;
import dev.ofn.webhook.admission.MutatingReview;
import dev.ofn.webhook.admission.ReviewHandler;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.server.AdmissionServer;
import dev.ofn.webhook.server.RequestObserver;
import dev.ofn.webhook.server.ServingCert;
import dev.ofn.webhook.tls.CertBundle;
import dev.ofn.webhook.tls.CertFiles;
import dev.ofn.webhook.tls.CertificateAuthority;
import dev.ofn.webhook.tls.Sans;
import io.vertx.core.Vertx;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificates swapped in place under load: no failed request, and new handshakes see the new leaf.
 */
class CertificateRotationTest {

  @Test
  void threeRotationsUnderLoadFailNoRequestAndServeTheNewCertificate(@TempDir Path dir)
      throws Exception {
    CertificateAuthority ca = CertificateAuthority.generate(Clock.systemUTC());
    Sans sans = Sans.standalone(List.of(), List.of());
    CertBundle first = ca.issue(sans);
    Files.writeString(dir.resolve("ca.crt"), first.caCertPem());
    Vertx vertx = Vertx.vertx();
    ReviewHandler echo =
        new MutatingReview(
            "echo", request -> new MutatingReview.Mutated(request.object(), List.of()));
    AdmissionServer server =
        new AdmissionServer(
            vertx,
            new AdmissionServer.Options("127.0.0.1", 0, true),
            Map.of(Endpoint.MUTATE_FUNCTION, echo),
            RequestObserver.NONE);
    server
        .start(new ServingCert(first.certPem(), first.keyPem()))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    byte[] body =
        Json.MAPPER.writeValueAsBytes(
            TestServer.reviewOf(
                "CREATE", Fixtures.load("function-sample-serving-only.yaml", "default"), null));

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> load = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      boolean http2 = i % 2 == 0;
      Thread worker =
          new Thread(
              () -> {
                try {
                  HttpClient client = TestServer.client(dir.resolve("ca.crt"));
                  while (running.get()) {
                    // a fresh client now and then: new handshakes must work mid-rotation too
                    if (ok.get() % 50 == 0) {
                      client = TestServer.client(dir.resolve("ca.crt"));
                    }
                    HttpResponse<String> response =
                        client.send(
                            request(server, body, http2), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                      ok.incrementAndGet();
                    } else {
                      failures.add("HTTP " + response.statusCode());
                    }
                  }
                } catch (Exception e) {
                  failures.add(e.toString());
                }
              });
      worker.start();
      load.add(worker);
    }
    BigInteger served = servedSerial(server, dir);
    assertEquals(first.certificate().getSerialNumber(), served);
    for (int rotation = 1; rotation <= 3; rotation++) {
      int before = ok.get();
      awaitProgress(ok, before + 100);
      CertBundle next = ca.issue(sans);
      assertTrue(
          server
              .reload(new ServingCert(next.certPem(), next.keyPem()))
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS));
      assertEquals(
          next.certificate().getSerialNumber(), servedSerial(server, dir), "rotation " + rotation);
    }
    awaitProgress(ok, ok.get() + 100);
    running.set(false);
    for (Thread thread : load) {
      thread.join(30_000);
    }
    server
        .shutdown(Duration.ofSeconds(1))
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    vertx.close();
    assertEquals(List.of(), failures);
    assertTrue(ok.get() > 400, "requests answered: " + ok.get());
  }

  @Test
  void aCertificateNearExpiryAtStartIsRenewedBeforeTheServerIsReady(@TempDir Path dir)
      throws Exception {
    Clock monthAgo = Clock.fixed(Instant.now().minus(Duration.ofDays(27)), ZoneOffset.UTC);
    CertBundle old =
        CertificateAuthority.generate(monthAgo).issue(Sans.standalone(List.of(), List.of()));
    assertEquals(0, CertFiles.writeCerts(dir, List.of(), List.of()));
    Files.writeString(dir.resolve("ca.crt"), old.caCertPem());
    Files.writeString(dir.resolve("ca.key"), old.caKeyPem());
    Files.writeString(dir.resolve("tls.crt"), old.certPem());
    Files.writeString(dir.resolve("tls.key"), old.keyPem());
    try (TestServer server = TestServer.start(dir)) {
      HttpResponse<String> ready =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          java.net.URI.create(
                              "http://127.0.0.1:" + server.server.probePort() + "/readyz"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ready.statusCode());
      X509Certificate leaf = peer(server.client, server.uri("/healthz"));
      assertTrue(
          leaf.getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(20))),
          leaf.getNotAfter().toString());
    }
  }

  private static HttpRequest request(AdmissionServer server, byte[] body, boolean http2) {
    return HttpRequest.newBuilder(
            java.net.URI.create(
                "https://localhost:" + server.port() + Endpoint.MUTATE_FUNCTION.path))
        .version(http2 ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  /** The serial of the leaf a brand-new client sees. */
  private static BigInteger servedSerial(AdmissionServer server, Path dir) throws Exception {
    return peer(
            TestServer.client(dir.resolve("ca.crt")),
            java.net.URI.create("https://localhost:" + server.port() + "/"))
        .getSerialNumber();
  }

  private static X509Certificate peer(HttpClient client, java.net.URI uri) throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
    SSLSession session = response.sslSession().orElseThrow();
    return (X509Certificate) session.getPeerCertificates()[0];
  }

  private static void awaitProgress(AtomicInteger counter, int target) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (counter.get() < target && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(counter.get() >= target, "load stalled at " + counter.get());
  }
}
