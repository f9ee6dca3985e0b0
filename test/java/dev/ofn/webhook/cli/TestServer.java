package dev.ofn.webhook.cli;

import dev.ofn.webhook.admission.Endpoint;
import dev.ofn.webhook.app.ServeConfig;
import dev.ofn.webhook.app.WebhookServer;
import dev.ofn.webhook.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real {@code webhook serve --standalone} on random ports with its own fresh certificates, and a
 * real HTTPS client (JDK HttpClient, HTTP/2 by ALPN) that trusts only the server's CA.
 */
public final class TestServer implements AutoCloseable {
  private static final String TEMP_PREFIX = "ofn-webhook-test-certs";
  public final WebhookServer server;
  public final Path certs;
  public final HttpClient client;

  private TestServer(WebhookServer server, Path certs, HttpClient client) {
    this.server = server;
    this.certs = certs;
    this.client = client;
  }

  public static TestServer start() throws Exception {
    return start(true);
  }

  public static TestServer start(boolean persistGeneratedRoute) throws Exception {
    return start(Files.createTempDirectory(TEMP_PREFIX), persistGeneratedRoute);
  }

  /** A server using (and repairing) whatever certificates {@code certs} holds. */
  public static TestServer start(Path certs) throws Exception {
    return start(certs, true);
  }

  /** A server that keeps answering for {@code grace} after {@code drainAndStop}. */
  public static TestServer start(Duration grace) throws Exception {
    return start(Files.createTempDirectory(TEMP_PREFIX), true, grace);
  }

  private static TestServer start(Path certs, boolean persistGeneratedRoute) throws Exception {
    return start(certs, persistGeneratedRoute, Duration.ofMillis(100));
  }

  /** A server whose gateways have {@code ownership} unless their annotation says otherwise. */
  public static TestServer start(dev.ofn.webhook.gateways.OwnershipMode ownership)
      throws Exception {
    return start(Files.createTempDirectory(TEMP_PREFIX), true, Duration.ofMillis(100), ownership);
  }

  private static TestServer start(Path certs, boolean persistGeneratedRoute, Duration grace)
      throws Exception {
    return start(certs, persistGeneratedRoute, grace, dev.ofn.webhook.gateways.OwnershipMode.OFF);
  }

  private static TestServer start(
      Path certs,
      boolean persistGeneratedRoute,
      Duration grace,
      dev.ofn.webhook.gateways.OwnershipMode ownership)
      throws Exception {
    return start(
        certs,
        defaults()
            .persistGeneratedRoute(persistGeneratedRoute)
            .shutdownGrace(grace)
            .hostnameOwnership(ownership));
  }

  /**
   * The settings of every test server: standalone on 127.0.0.1 and random ports, no controller, no
   * warm-up, a short grace.
   */
  static ServeConfig.Builder defaults() {
    return ServeConfig.builder()
        .host("127.0.0.1")
        .port(0)
        .probePort(0)
        .standalone(true)
        .controller(false)
        .persistGeneratedRoute(true)
        .shutdownGrace(Duration.ofMillis(100))
        .warmUp(ServeConfig.WarmUpPlan.NONE);
  }

  /** A server with these settings, its certificates in a fresh folder. */
  static TestServer start(ServeConfig.Builder settings) throws Exception {
    return start(Files.createTempDirectory(TEMP_PREFIX), settings);
  }

  private static TestServer start(Path certs, ServeConfig.Builder settings) throws Exception {
    ServeConfig config = settings.certsDir(certs).build();
    WebhookServer server = WebhookServer.start(config);
    return new TestServer(server, certs, client(certs.resolve("ca.crt")));
  }

  /** A client trusting exactly the given CA, verifying the host name as the apiserver does. */
  public static HttpClient client(Path caFile) throws Exception {
    return TrainCommand.client(caFile);
  }

  public URI uri(String pathAndQuery) {
    return URI.create("https://localhost:" + server.port() + pathAndQuery);
  }

  /** POSTs a body; returns the raw response. */
  public HttpResponse<String> post(String pathAndQuery, String contentType, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(uri(pathAndQuery))
            .header("Content-Type", contentType)
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Sends an AdmissionReview v1 for {@code object} to an endpoint; returns the parsed {@code
   * response}.
   */
  public JsonNode review(Endpoint endpoint, String operation, JsonNode object, JsonNode oldObject)
      throws Exception {
    return review(endpoint, reviewOf(operation, object, oldObject));
  }

  public JsonNode review(Endpoint endpoint, ObjectNode review) throws Exception {
    HttpResponse<String> response =
        post(
            endpoint.path + "?timeout=5s",
            "application/json",
            Json.MAPPER.writeValueAsBytes(review));
    if (response.statusCode() != 200) {
      throw new AssertionError("HTTP " + response.statusCode() + ": " + response.body());
    }
    return Json.MAPPER.readTree(response.body()).path("response");
  }

  /**
   * The sample Function as the apiserver would store it after our mutating webhook, under another
   * name, routing {@code hostname} with path prefix {@code /v2/foo/}: two of them conflict.
   */
  public static ObjectNode admittedFunction(String name, String hostname) {
    ObjectNode function =
        dev.ofn.webhook.Fixtures.load("function-sample-serving-only.yaml", "default");
    ((ObjectNode) function.path("metadata")).put("name", name);
    ObjectNode route =
        (ObjectNode)
            function.path("spec").path("serving").path("triggers").path("http").path("route");
    route.putArray("hostnames").add(hostname);
    route.set(
        "rules",
        Json.MAPPER.readTree(
            "[{\"matches\":[{\"path\":{\"type\":\"PathPrefix\",\"value\":\"/v2/foo/\"}}]}]"));
    return function;
  }

  public static ObjectNode reviewOf(String operation, JsonNode object, JsonNode oldObject) {
    ObjectNode review = Json.object();
    review.put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
    ObjectNode request = review.putObject("request");
    request.put("uid", java.util.UUID.randomUUID().toString());
    request.put("operation", operation);
    JsonNode source = object != null ? object : oldObject;
    String kind = Json.stringOr(source, "", "kind");
    String apiVersion = Json.stringOr(source, "", "apiVersion");
    request
        .putObject("kind")
        .put(
            "group",
            apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "")
        .put("version", apiVersion.substring(apiVersion.indexOf('/') + 1))
        .put("kind", kind);
    request.put("namespace", Json.stringOr(source, "default", "metadata", "namespace"));
    request.put("name", Json.stringOr(source, "", "metadata", "name"));
    request.set("object", object);
    request.set("oldObject", oldObject);
    request.put("dryRun", false);
    return review;
  }

  @Override
  public void close() {
    server.stopNow();
    if (certs.getFileName().toString().startsWith(TEMP_PREFIX)) {
      try (var files = Files.walk(certs)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a leftover temp folder is harmless
      }
    }
  }
}
