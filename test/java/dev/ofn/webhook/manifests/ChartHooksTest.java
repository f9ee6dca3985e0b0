package dev.ofn.webhook.manifests;

import static dev.ofn.webhook.manifests.WebhookManifestsTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The chart's hooks: the pre-delete Job that unregisters the webhooks and the {@code helm test}
 * Pod. helm-java's {@code template} leaves hooks out (as {@code helm template --no-hooks} would),
 * so they are rendered from a copy of the chart whose hook annotation key is renamed; the key
 * itself is checked in the real chart.
 */
class ChartHooksTest {
  static final String HOOK = "helm.sh/hook";
  static final String RENAMED = "test.ofn.io/hook";

  @TempDir static Path copies;
  static Path chart;

  @BeforeAll
  static void copyWithVisibleHooks() throws IOException {
    chart = copies.resolve("ofn-webhook");
    ChartTest.copy(ChartTest.CHART, chart);
    Path helpers = chart.resolve("templates").resolve("_helpers.tpl");
    String text = Files.readString(helpers);
    assertTrue(text.contains("\n" + HOOK + ": {{ index . 0 }}\n"), "the hook annotation");
    Files.writeString(helpers, text.replace("\n" + HOOK + ": ", "\n" + RENAMED + ": "));
  }

  static List<ObjectNode> render(Map<String, Object> values) {
    return Kustomize.documents(ChartTest.template(chart, "ofn-webhook-system", values));
  }

  /** "Kind name" of every object annotated as a hook of that kind, with its weight. */
  static Set<String> hooks(List<ObjectNode> docs, String hook) {
    Set<String> found = new TreeSet<>();
    for (ObjectNode doc : docs) {
      JsonNode annotations = doc.path("metadata").path("annotations");
      if (hook.equals(annotations.path(RENAMED).asString(null))) {
        assertEquals(
            "before-hook-creation,hook-succeeded",
            annotations.path("helm.sh/hook-delete-policy").asString(),
            doc.path("metadata").path("name").asString());
        found.add(
            annotations.path("helm.sh/hook-weight").asString()
                + " "
                + doc.path("kind").asString()
                + " "
                + doc.path("metadata").path("name").asString());
      }
    }
    return found;
  }

  @Test
  void uninstallUnregistersFirstWithOnlyTheRightToDeleteOurConfigurations() {
    List<ObjectNode> docs = render(Map.of());
    assertEquals(
        Set.of(
            "-10 ServiceAccount ofn-webhook-uninstall",
            "-10 ClusterRole ofn-webhook-uninstall",
            "-5 ClusterRoleBinding ofn-webhook-uninstall",
            "0 Job ofn-webhook-uninstall"),
        hooks(docs, "pre-delete"));
    assertEquals(
        List.of(
            "admissionregistration.k8s.io mutatingwebhookconfigurations,validatingwebhookconfigurations [ofn-webhook] delete"),
        RbacManifestsTest.rules(Kustomize.find(docs, "ClusterRole", "ofn-webhook-uninstall")));
    assertEquals(
        json(
            "[{\"kind\":\"ServiceAccount\",\"name\":\"ofn-webhook-uninstall\",\"namespace\":\"ofn-webhook-system\"}]"),
        Kustomize.find(docs, "ClusterRoleBinding", "ofn-webhook-uninstall").path("subjects"));

    JsonNode pod =
        Kustomize.find(docs, "Job", "ofn-webhook-uninstall").path("spec").path("template");
    assertNotTheServer(pod.path("metadata"));
    JsonNode spec = pod.path("spec");
    assertEquals("ofn-webhook-uninstall", spec.path("serviceAccountName").asString());
    assertEquals("Never", spec.path("restartPolicy").asString());
    JsonNode container = spec.path("containers").get(0);
    assertEquals("ghcr.io/ofn-webhook/ofn-webhook:0.1.0", container.path("image").asString());
    assertEquals(json("[\"unregister\"]"), container.path("args"));
    assertRestricted(spec, container);

    assertEquals(Set.of(), hooks(render(Map.of("uninstallHook", "false")), "pre-delete"));
  }

  @Test
  void helmTestRunsVerifyAsAServiceAccountThatMayOnlyCreateOfnGatewaysThere() {
    List<ObjectNode> docs = render(Map.of("tests.namespace", "smoke"));
    assertEquals(
        Set.of(
            "-10 ServiceAccount ofn-webhook-test",
            "-10 Role ofn-webhook-test",
            "-5 RoleBinding ofn-webhook-test",
            "0 Pod ofn-webhook-test"),
        hooks(docs, "test"));
    ObjectNode role = Kustomize.find(docs, "Role", "ofn-webhook-test");
    assertEquals("smoke", role.path("metadata").path("namespace").asString());
    assertEquals(
        List.of("networking.openfunction.io gateways [] create"), RbacManifestsTest.rules(role));
    assertEquals(
        "smoke",
        Kustomize.find(docs, "RoleBinding", "ofn-webhook-test")
            .path("metadata")
            .path("namespace")
            .asString());

    ObjectNode pod = Kustomize.find(docs, "Pod", "ofn-webhook-test");
    assertNotTheServer(pod.path("metadata"));
    JsonNode container = pod.path("spec").path("containers").get(0);
    assertEquals(json("[\"verify\",\"--namespace=smoke\"]"), container.path("args"));
    assertRestricted(pod.path("spec"), container);

    assertEquals(
        Set.of(),
        hooks(render(Map.of("gatewayApiOnly", "true")), "test"),
        "no vgateway.of.io to ask");
  }

  @Test
  void onOpenShiftTheHooksLeaveIdsToThePlatformToo() {
    String text = ChartTest.template(chart, "ofn-webhook-system", Map.of("openshift", "true"));
    for (String field : List.of("runAsUser", "runAsGroup", "fsGroup")) {
      assertFalse(text.contains(field), field);
    }
  }

  /** Neither the Deployment's selector, the Service's, the PDB's nor the NetworkPolicy's. */
  private static void assertNotTheServer(JsonNode metadata) {
    assertEquals(
        "ofn-webhook-hook", metadata.path("labels").path("app.kubernetes.io/name").asString());
  }

  private static void assertRestricted(JsonNode podSpec, JsonNode container) {
    JsonNode server =
        ChartTest.render(Map.of()).stream()
            .filter(d -> "Deployment".equals(d.path("kind").asString()))
            .findFirst()
            .orElseThrow()
            .path("spec")
            .path("template")
            .path("spec");
    assertEquals(server.path("securityContext"), podSpec.path("securityContext"));
    assertEquals(
        server.path("containers").get(0).path("securityContext"),
        container.path("securityContext"));
    assertEquals(
        json("[{\"name\":\"tmp\",\"mountPath\":\"/tmp\"}]"), container.path("volumeMounts"));
  }
}
