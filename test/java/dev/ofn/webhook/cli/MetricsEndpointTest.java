package dev.ofn.webhook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.PrometheusText;
import dev.ofn.webhook.admission.Endpoint;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /metrics} on the probe port, scraped after known traffic: requests by endpoint and
 * outcome, the latency histogram, the conflict-index size and the certificate expiry, with
 * plausible values.
 */
class MetricsEndpointTest {
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void seriesExistWithPlausibleValues() throws Exception {
    ObjectNode function = Fixtures.load("function-sample-serving-only.yaml", "default");
    for (int i = 0; i < 3; i++) {
      server.review(
          Endpoint.MUTATE_FUNCTION, "CREATE", function, null); // patched: the route is generated
    }
    server.review(Endpoint.VALIDATE_FUNCTION, "DELETE", null, function); // allowed silently
    ObjectNode gateway = Fixtures.load("default-gateway.yaml");
    ((ObjectNode) gateway.path("spec")).remove("domain");
    server.review(Endpoint.VALIDATE_GATEWAY, "CREATE", gateway, null); // denied
    assertEquals(
        400,
        server
            .post(Endpoint.VALIDATE_GATEWAY.path, "application/json", "{}".getBytes())
            .statusCode());

    long before = System.currentTimeMillis() / 1000;
    HttpResponse<String> response = metrics();
    assertEquals(200, response.statusCode());
    assertTrue(
        response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
        response.headers().toString());
    Map<String, Double> series = PrometheusText.parse(response.body());

    assertEquals(
        3.0,
        series.get(
            "ofn_webhook_requests_total{endpoint=\"mfunctions.of.io\",operation=\"CREATE\",outcome=\"patched\"}"),
        response.body());
    assertEquals(
        1.0,
        series.get(
            "ofn_webhook_requests_total{endpoint=\"vfunctions.of.io\",operation=\"DELETE\",outcome=\"allowed\"}"),
        response.body());
    assertEquals(
        1.0,
        series.get(
            "ofn_webhook_requests_total{endpoint=\"vgateway.of.io\",operation=\"CREATE\",outcome=\"denied\"}"),
        response.body());
    assertEquals(
        1.0,
        series.get(
            "ofn_webhook_requests_total{endpoint=\"vgateway.of.io\",operation=\"unknown\",outcome=\"http_400\"}"),
        response.body());
    // every endpoint x operation x outcome series exists from the start, so alerts on "error" see
    // a 0, not nothing
    assertEquals(
        Endpoint.values().length * 3,
        series.keySet().stream()
            .filter(
                k -> k.startsWith("ofn_webhook_requests_total{") && k.contains("outcome=\"error\""))
            .count(),
        response.body());
    series.forEach(
        (key, value) -> {
          if (key.contains("outcome=\"error\"")) {
            assertEquals(0.0, value, key);
          }
        });
    assertEquals(
        0.0,
        series.get(
            "ofn_webhook_requests_total{endpoint=\"vhttproutes.of.io\",operation=\"UPDATE\",outcome=\"allowed\"}"),
        response.body());

    // the histogram: cumulative buckets ending in +Inf = count, a sum of small positive durations
    String mutating = "endpoint=\"mfunctions.of.io\"";
    assertEquals(
        3.0,
        series.get("ofn_webhook_request_duration_seconds_count{" + mutating + "}"),
        response.body());
    assertEquals(
        3.0,
        series.get("ofn_webhook_request_duration_seconds_bucket{" + mutating + ",le=\"+Inf\"}"));
    double sum = series.get("ofn_webhook_request_duration_seconds_sum{" + mutating + "}");
    assertTrue(sum > 0 && sum < 3 * 5.0, "sum " + sum);
    double previous = 0;
    for (Map.Entry<String, Double> e : series.entrySet()) {
      if (e.getKey().startsWith("ofn_webhook_request_duration_seconds_bucket{" + mutating)) {
        assertTrue(e.getValue() >= previous, "buckets must be cumulative: " + e);
        previous = e.getValue();
      }
    }

    // standalone: the index is in memory and empty until conflicts are wired; never negative
    Double index = series.get("ofn_webhook_conflict_index_routes");
    assertTrue(index != null && index >= 0, response.body());

    // the expiry is the served certificate's notAfter, in the future
    X509Certificate served;
    try (InputStream in = Files.newInputStream(server.certs.resolve("tls.crt"))) {
      served = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    double expiry = series.get("ofn_webhook_certificate_expiry_timestamp_seconds");
    assertEquals(served.getNotAfter().getTime() / 1000, (long) expiry);
    assertTrue(expiry > before, "expiry " + expiry + " is not in the future");

    // informer sync state exists only with a cluster
    assertFalse(
        series.keySet().stream().anyMatch(k -> k.startsWith("ofn_webhook_informer_synced")),
        response.body());
  }

  /**
   * What an operator sees after a route-conflict denial: the conflict counted by kind, the
   * in-flight gauges back at 0, controller-runtime's webhook names, JVM and process series, the
   * build.
   */
  @Test
  void aConflictDenialIsCountedNextToJvmAndProcessSeries() throws Exception {
    String kind = "ofn_webhook_route_conflicts_total{kind=\"Function\"}";
    double before = PrometheusText.parse(scrape()).get(kind);
    assertTrue(
        server
            .review(
                Endpoint.VALIDATE_FUNCTION,
                "CREATE",
                TestServer.admittedFunction("metrics-first", "metrics.ofn.io"),
                null)
            .path("allowed")
            .asBoolean());
    JsonNode denied =
        server.review(
            Endpoint.VALIDATE_FUNCTION,
            "CREATE",
            TestServer.admittedFunction("metrics-second", "metrics.ofn.io"),
            null);
    assertFalse(denied.path("allowed").asBoolean(), denied.toString());

    String text = scrape();
    Map<String, Double> series = PrometheusText.parse(text);
    assertEquals(before + 1, series.get(kind), text);
    assertEquals(0.0, series.get("ofn_webhook_route_conflicts_total{kind=\"HTTPRoute\"}"), text);
    assertEquals(
        0.0, series.get("ofn_webhook_requests_in_flight{endpoint=\"vfunctions.of.io\"}"), text);
    String path = "webhook=\"" + Endpoint.VALIDATE_FUNCTION.path + "\"";
    assertEquals(0.0, series.get("controller_runtime_webhook_requests_in_flight{" + path + "}"));
    assertTrue(
        series.get("controller_runtime_webhook_requests_total{code=\"200\"," + path + "}") >= 2,
        text);
    assertTrue(
        series.get("controller_runtime_webhook_latency_seconds_count{" + path + "}") >= 2, text);
    assertTrue(series.get("process_cpu_seconds_total") > 0, text);
    assertTrue(series.get("process_start_time_seconds") > 0, text);
    assertTrue(
        series.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_used_bytes{")), text);
    assertTrue(series.keySet().stream().anyMatch(k -> k.startsWith("jvm_threads_")), text);
    assertTrue(
        series.keySet().stream()
            .anyMatch(
                k ->
                    k.startsWith("ofn_webhook_build_info{")
                        && k.contains("version=\"" + dev.ofn.webhook.BuildInfo.version() + "\"")),
        text);
    assertFalse(
        dev.ofn.webhook.BuildInfo.version().contains("${"), dev.ofn.webhook.BuildInfo.version());
  }

  private static HttpResponse<String> metrics() throws Exception {
    return server.client.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.server.probePort() + "/metrics"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String scrape() throws Exception {
    HttpResponse<String> response = metrics();
    assertEquals(200, response.statusCode());
    return response.body();
  }
}
