package dev.ofn.webhook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.json.Json;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code webhook verify} (the chart's {@code helm test}) against an apiserver that answers the dry
 * run as a registered webhook would, as none would, and as RBAC would.
 */
class VerifyCommandTest {
  static final String PATH =
      "/apis/networking.openfunction.io/v1alpha1/namespaces/default/gateways";

  /** Held: java.util.logging keeps loggers weakly, and would forget the level. */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  KubernetesMockServer server;
  @TempDir Path dir;
  Path kubeconfig;

  @BeforeEach
  void apiserver() throws Exception {
    server = new KubernetesMockServer(false);
    server.init();
    server
        .expect()
        .get()
        .withPath("/version")
        .andReturn(200, "{\"major\":\"1\",\"minor\":\"30\",\"gitVersion\":\"v1.30.0\"}")
        .always();
    kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: mock, cluster: {server: "URL"}}]
        contexts: [{name: mock, context: {cluster: mock, user: mock}}]
        current-context: mock
        users: [{name: mock, user: {token: none}}]
        """
            .replace("URL", server.url("/").replaceAll("/$", "")));
  }

  @AfterEach
  void stop() {
    server.destroy();
  }

  static String status(int code, String reason, String message) {
    return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":"
        + Json.MAPPER.writeValueAsString(message)
        + ",\"reason\":\""
        + reason
        + "\",\"code\":"
        + code
        + "}";
  }

  MainTest.Run verify() {
    return MainTest.run(Map.of(), "verify", "--kubeconfig", kubeconfig.toString());
  }

  @Test
  void theWebhooksDenialIsSuccessAndNothingIsStored() throws Exception {
    String denial =
        "admission webhook \"vgateway.of.io\" denied the request: spec.domain: Required value:"
            + " must specify domain";
    server
        .expect()
        .post()
        .withPath(PATH + "?dryRun=All")
        .andReturn(403, status(403, "Forbidden", denial))
        .once();
    MainTest.Run run = verify();
    assertEquals(0, run.code(), run::toString);
    assertEquals("ok: " + denial, run.out().strip());

    RecordedRequest request = lastPost();
    assertTrue(request.getPath().contains("dryRun=All"), request.getPath());
    JsonNode sent = Json.MAPPER.readTree(request.getUtf8Body());
    assertEquals(
        Json.MAPPER.readTree(
            "{\"domain\":\"\",\"gatewayRef\":{\"name\":\"contour\",\"namespace\":\"projectcontour\"},"
                + "\"gatewaySpec\":{\"listeners\":[{\"name\":\"ofn-http-external\",\"protocol\":\"HTTP\","
                + "\"port\":80}]}}"),
        sent.path("spec"));
  }

  @Test
  void anAdmittedDryRunMeansTheWebhookIsNotCalled() {
    server
        .expect()
        .post()
        .withPath(PATH + "?dryRun=All")
        .andReturn(
            201,
            "{\"apiVersion\":\"networking.openfunction.io/v1alpha1\",\"kind\":\"Gateway\","
                + "\"metadata\":{\"name\":\"ofn-webhook-verify\",\"namespace\":\"default\"}}")
        .once();
    MainTest.Run run = verify();
    assertEquals(1, run.code(), run::toString);
    assertEquals(
        "FAIL: the dry run of OFN Gateway default/ofn-webhook-verify was admitted: vgateway.of.io is"
            + " not registered or not called",
        run.out().strip());
  }

  @Test
  void anyOtherRefusalIsNamed() {
    String rbac =
        "gateways.networking.openfunction.io is forbidden: User \"system:serviceaccount:x:y\" cannot"
            + " create resource \"gateways\"";
    server
        .expect()
        .post()
        .withPath(PATH + "?dryRun=All")
        .andReturn(403, status(403, "Forbidden", rbac))
        .once();
    MainTest.Run run = verify();
    assertEquals(1, run.code(), run::toString);
    assertEquals(
        "FAIL: expected the denial '" + VerifyCommand.EXPECTED + "', got: " + rbac,
        run.out().strip());
  }

  private RecordedRequest lastPost() throws InterruptedException {
    RecordedRequest request;
    do {
      request = server.takeRequest();
    } while (!"POST".equals(request.getMethod()));
    return request;
  }
}
