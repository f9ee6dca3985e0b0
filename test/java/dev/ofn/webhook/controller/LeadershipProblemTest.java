package dev.ofn.webhook.controller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Lease that cannot be written (here: its namespace does not exist, as when a server outside the
 * cluster is pointed at a cluster without ofn-webhook-system) is reported, not retried silently.
 */
class LeadershipProblemTest {
  final KubernetesMockServer server = new KubernetesMockServer(false);
  KubernetesClient client;
  Leadership leadership;

  @AfterEach
  void close() {
    if (leadership != null) {
      leadership.close();
    }
    if (client != null) {
      client.close();
    }
    server.destroy();
  }

  @Test
  void aMissingNamespaceIsReportedWithTheFlagToUse() throws InterruptedException {
    server.start();
    server
        .expect()
        .get()
        .withPath("/apis/coordination.k8s.io/v1/namespaces/missing/leases/ofn-webhook")
        .andReturn(404, notFound("leases.coordination.k8s.io \"ofn-webhook\" not found"))
        .always();
    server
        .expect()
        .post()
        .withPath("/apis/coordination.k8s.io/v1/namespaces/missing/leases")
        .andReturn(404, notFound("namespaces \"missing\" not found"))
        .always();
    client = server.createClient();
    leadership =
        new Leadership(
            client,
            "missing",
            "ofn-webhook",
            "replica-a",
            new Leadership.Timing(
                Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(200)));
    assertEquals(Optional.empty(), leadership.problem());
    leadership.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> leadership.problem().isPresent());
    assertEquals(
        "namespaces \"missing\" not found (create it, or choose another with --namespace)",
        leadership.problem().get());
    assertFalse(leadership.isLeader());
    // Retried every 200 ms: after 2 s (~10 retries) still the one line logged when it started.
    Thread.sleep(2000);
    assertEquals(1, leadership.problemChanges(), "one log line per change, not per retry");
    assertFalse(leadership.isLeader());
  }

  private static io.fabric8.kubernetes.api.model.Status notFound(String message) {
    return new StatusBuilder()
        .withStatus("Failure")
        .withReason("NotFound")
        .withCode(404)
        .withMessage(message)
        .build();
  }
}
