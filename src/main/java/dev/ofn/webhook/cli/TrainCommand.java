package dev.ofn.webhook.cli;

import dev.ofn.webhook.app.ServeConfig;
import dev.ofn.webhook.app.WebhookServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine.Command;

/**
 * {@code webhook cds-training} (hidden): the workload class data is trained on. Starts the
 * standalone server on free loopback ports, sends one review to each endpoint kind over HTTPS
 * (HTTP/2), reads the probes and metrics, and stops. Run it with {@code -XX:AOTCacheOutput=FILE}
 * (Java 25: the Dockerfile does, with the image's own JVM) or {@code -XX:ArchiveClassesAtExit=FILE}
 * (17).
 */
@Command(
    name = "cds-training",
    hidden = true,
    description = "Run the standalone server through one review per endpoint, then exit.")
final class TrainCommand implements Callable<Integer> {
  private static final String FUNCTION =
      "{\"apiVersion\":\"core.openfunction.io/v1beta2\",\"kind\":\"Function\",\"metadata\":{\"name\":\"cds\",\"namespace\":\"default\"},\"spec\":{\"image\":\"i\",\"serving\":{\"triggers\":{\"http\":{\"port\":8080}}}}}";
  private static final String FUNCTION_KIND =
      "{\"group\":\"core.openfunction.io\",\"version\":\"v1beta2\",\"kind\":\"Function\"}";
  private static final Map<String, List<String>> REVIEWS =
      Map.of(
          "/mutate-core-openfunction-io-v1beta2-function",
          List.of(FUNCTION_KIND, FUNCTION),
          "/validate-core-openfunction-io-v1beta2-function",
          List.of(FUNCTION_KIND, FUNCTION),
          "/validate-gateway-networking-k8s-io-v1-httproute",
          List.of(
              "{\"group\":\"gateway.networking.k8s.io\",\"version\":\"v1\",\"kind\":\"HTTPRoute\"}",
              "{\"apiVersion\":\"gateway.networking.k8s.io/v1\",\"kind\":\"HTTPRoute\",\"metadata\":{\"name\":\"cds\",\"namespace\":\"default\"},\"spec\":{\"parentRefs\":[{\"name\":\"contour\",\"namespace\":\"projectcontour\"}],\"hostnames\":[\"cds.example.com\"],\"rules\":[{\"matches\":[{\"path\":{\"type\":\"PathPrefix\",\"value\":\"/\"}}]}]}}"),
          "/mutate-networking-openfunction-io-v1alpha1-gateway",
          List.of(
              "{\"group\":\"networking.openfunction.io\",\"version\":\"v1alpha1\",\"kind\":\"Gateway\"}",
              "{\"apiVersion\":\"networking.openfunction.io/v1alpha1\",\"kind\":\"Gateway\",\"metadata\":{\"name\":\"cds\",\"namespace\":\"default\"},\"spec\":{\"domain\":\"ofn.io\",\"gatewayRef\":{\"name\":\"contour\",\"namespace\":\"projectcontour\"}}}"));

  @Override
  public Integer call() throws Exception {
    Path certs = Files.createTempDirectory("ofn-webhook-cds");
    WebhookServer server =
        WebhookServer.start(
            ServeConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .probePort(0)
                .standalone(true)
                .certsDir(certs)
                .controller(false)
                .persistGeneratedRoute(true)
                .shutdownGrace(Duration.ZERO)
                .build());
    try {
      HttpClient client = client(certs.resolve("ca.crt"));
      for (Map.Entry<String, List<String>> review : REVIEWS.entrySet()) {
        String body =
            "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":"
                + "{\"uid\":\"cds\",\"operation\":\"CREATE\",\"namespace\":\"default\",\"kind\":"
                + review.getValue().get(0)
                + ",\"object\":"
                + review.getValue().get(1)
                + "}}";
        HttpResponse<String> response =
            client.send(
                HttpRequest.newBuilder(
                        URI.create("https://localhost:" + server.port() + review.getKey()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          throw new IllegalStateException(review.getKey() + ": HTTP " + response.statusCode());
        }
      }
      HttpClient plain = HttpClient.newHttpClient();
      for (String probe : List.of("/readyz", "/metrics")) {
        plain.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.probePort() + probe))
                .build(),
            HttpResponse.BodyHandlers.discarding());
      }
    } finally {
      server.stopNow();
      try (var files = Files.list(certs)) {
        for (Path file : files.toList()) {
          Files.deleteIfExists(file);
        }
      }
      Files.deleteIfExists(certs);
    }
    return 0;
  }

  /** An HTTP/2 client trusting exactly the CA in {@code caFile}, verifying host names. */
  static HttpClient client(Path caFile) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (var in = Files.newInputStream(caFile)) {
      trust.setCertificateEntry(
          "ca", (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trustManagers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, trustManagers.getTrustManagers(), null);
    return HttpClient.newBuilder()
        .sslContext(ssl)
        .version(HttpClient.Version.HTTP_2)
        .connectTimeout(Duration.ofSeconds(30))
        .build();
  }
}
