package dev.ofn.webhook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ofn.webhook.Fixtures;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --register-url} against fabric8's mock API server: a graceful stop (SIGTERM's {@code
 * drainAndStop}) removes the two webhook configurations once the server stops answering, so that no
 * {@code Fail} webhook is left pointing at nothing; {@code --keep-registration} leaves them.
 */
class RegisterUrlStopTest {
  /** Held: java.util.logging keeps loggers weakly, and would forget the level. */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private static final String NAME = "ofn-webhook-local";

  KubernetesMockServer server;
  KubernetesClient client;
  @TempDir Path dir;
  Path kubeconfig;

  @BeforeEach
  void cluster() throws Exception {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    client = server.createClient();
    for (String file :
        List.of(
            "core.openfunction.io_functions.yaml",
            "networking.openfunction.io_gateways.yaml",
            "gateway.networking.k8s.io_gateways.yaml",
            "gateway.networking.k8s.io_httproutes.yaml")) {
      CustomResourceDefinition crd =
          client
              .getKubernetesSerialization()
              .unmarshal(
                  Files.readString(Fixtures.crds().resolve(file)), CustomResourceDefinition.class);
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
    client
        .resource(
            client
                .getKubernetesSerialization()
                .unmarshal(
                    Files.readString(Fixtures.dir().resolve("default-gateway.yaml")),
                    GenericKubernetesResource.class))
        .create();
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
    client.close();
    server.destroy();
  }

  /** {@code grace}: how long it keeps answering after SIGTERM. */
  private TestServer serve(boolean keepRegistration, Duration grace) throws Exception {
    return TestServer.start(
        TestServer.defaults()
            .standalone(false)
            .kubeconfig(kubeconfig)
            .registerUrl("https://127.0.0.1:9443")
            .mutatingConfig(NAME)
            .validatingConfig(NAME)
            .keepRegistration(keepRegistration)
            .shutdownGrace(grace));
  }

  @Test
  void aGracefulStopRemovesTheConfigurationsOnceTheServerNoLongerAnswers() throws Exception {
    // a grace long enough to look while it still answers, even on a loaded machine
    try (TestServer local = serve(false, Duration.ofSeconds(10))) {
      assertEquals(
          "https://127.0.0.1:9443/validate-core-openfunction-io-v1beta2-function",
          validating().getWebhooks().get(0).getClientConfig().getUrl());
      assertNotNull(mutating());

      Thread stopper = new Thread(local.server::drainAndStop);
      stopper.start();
      awaitDraining(local);
      // still answering: still registered
      assertNotNull(validating());
      assertNotNull(mutating());

      stopper.join(30_000);
      assertNull(validating());
      assertNull(mutating());
    }
  }

  @Test
  void keepRegistrationLeavesThemForWebhookUnregister() throws Exception {
    try (TestServer local = serve(true, Duration.ofMillis(100))) {
      local.server.drainAndStop();
      assertNotNull(validating());
      assertNotNull(mutating());
    }
    assertEquals(
        "deleted 2 webhook configuration(s)",
        MainTest.run(
                java.util.Map.of(),
                "unregister",
                "--kubeconfig=" + kubeconfig,
                "--mutating-config=" + NAME,
                "--validating-config=" + NAME)
            .out()
            .strip());
  }

  private io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration
      validating() {
    return client
        .admissionRegistration()
        .v1()
        .validatingWebhookConfigurations()
        .withName(NAME)
        .get();
  }

  private io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration
      mutating() {
    return client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(NAME).get();
  }

  /** Until /readyz says the server is shutting down (it answers reviews meanwhile). */
  private static void awaitDraining(TestServer local) throws Exception {
    HttpClient plain = HttpClient.newHttpClient();
    URI readyz = URI.create("http://127.0.0.1:" + local.server.probePort() + "/readyz");
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response =
          plain.send(HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.ofString());
      if (response.body().contains("shutting down")) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("/readyz never said: shutting down");
  }
}
