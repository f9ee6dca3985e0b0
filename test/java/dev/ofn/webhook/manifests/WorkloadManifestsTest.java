package dev.ofn.webhook.manifests;

import static dev.ofn.webhook.manifests.WebhookManifestsTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Namespace, Deployment, Service, PDB, NetworkPolicy as rendered by {@code kubectl kustomize
 * manifests/}.
 */
class WorkloadManifestsTest {
  static final String NS = "ofn-webhook-system";
  static final JsonNode POD_LABELS = json("{\"app.kubernetes.io/name\":\"ofn-webhook\"}");
  static List<ObjectNode> docs;

  @BeforeAll
  static void render() {
    docs = Kustomize.render(Kustomize.manifests());
  }

  @Test
  void exactlyTheseObjects() {
    Set<String> found =
        docs.stream()
            .map(
                d ->
                    d.path("kind").asString()
                        + " "
                        + d.path("metadata").path("namespace").asString("")
                        + "/"
                        + d.path("metadata").path("name").asString())
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(
        new TreeSet<>(
            Set.of(
                "Namespace /ofn-webhook-system",
                "ServiceAccount ofn-webhook-system/ofn-webhook",
                "ClusterRole /ofn-webhook",
                "ClusterRoleBinding /ofn-webhook",
                "ClusterRole /ofn-webhook-controller",
                "ClusterRoleBinding /ofn-webhook-controller",
                "ClusterRole /ofn-webhook-cabundle",
                "ClusterRoleBinding /ofn-webhook-cabundle",
                "Role ofn-webhook-system/ofn-webhook",
                "RoleBinding ofn-webhook-system/ofn-webhook",
                "Role ofn-webhook-system/ofn-webhook-certs",
                "RoleBinding ofn-webhook-system/ofn-webhook-certs",
                "Deployment ofn-webhook-system/ofn-webhook",
                "Service ofn-webhook-system/ofn-webhook",
                "PodDisruptionBudget ofn-webhook-system/ofn-webhook",
                "NetworkPolicy ofn-webhook-system/ofn-webhook",
                "MutatingWebhookConfiguration /ofn-webhook",
                "ValidatingWebhookConfiguration /ofn-webhook")),
        found);
  }

  @Test
  void namespaceIsRestricted() {
    JsonNode labels = Kustomize.find(docs, "Namespace", NS).path("metadata").path("labels");
    assertEquals("restricted", labels.path("pod-security.kubernetes.io/enforce").asString());
    assertEquals("restricted", labels.path("pod-security.kubernetes.io/warn").asString());
    assertEquals("restricted", labels.path("pod-security.kubernetes.io/audit").asString());
  }

  @Test
  void deployment() {
    JsonNode spec = Kustomize.find(docs, "Deployment", "ofn-webhook").path("spec");
    assertEquals(2, spec.path("replicas").asInt());
    assertEquals(POD_LABELS, spec.path("selector").path("matchLabels"));
    assertEquals(
        0,
        spec.path("strategy").path("rollingUpdate").path("maxUnavailable").asInt(),
        "rollouts never drop below 2 replicas");
    JsonNode pod = spec.path("template").path("spec");
    assertEquals(
        "ofn-webhook",
        spec.path("template")
            .path("metadata")
            .path("labels")
            .path("app.kubernetes.io/name")
            .asString());
    assertEquals("ofn-webhook", pod.path("serviceAccountName").asString());
    assertTrue(
        pod.path("terminationGracePeriodSeconds").asInt() > 10, "above --shutdown-grace 10s");
    assertEquals(
        json(
            "{\"runAsNonRoot\":true,\"runAsUser\":65532,\"runAsGroup\":65532,\"fsGroup\":65532,"
                + "\"seccompProfile\":{\"type\":\"RuntimeDefault\"}}"),
        pod.path("securityContext"));
    JsonNode spread = pod.path("topologySpreadConstraints").get(0);
    assertEquals("kubernetes.io/hostname", spread.path("topologyKey").asString());
    assertEquals(POD_LABELS, spread.path("labelSelector").path("matchLabels"));

    assertEquals(1, pod.path("containers").size());
    JsonNode c = pod.path("containers").get(0);
    assertTrue(
        c.path("image").asString().startsWith("ghcr.io/ofn-webhook/ofn-webhook:"),
        c.path("image").asString());
    assertEquals(json("[\"serve\"]"), c.path("args"));
    assertEquals(
        json(
            "[{\"name\":\"POD_NAMESPACE\",\"valueFrom\":{\"fieldRef\":{\"fieldPath\":\"metadata.namespace\"}}},"
                + "{\"name\":\"OFN_WEBHOOK_HOSTNAME_OWNERSHIP\",\"value\":\"off\"},"
                + "{\"name\":\"OFN_WEBHOOK_DEFAULT_ROUTE_POLICY\",\"value\":\"off\"}]"),
        c.path("env"));
    assertEquals(
        json(
            "[{\"name\":\"webhook\",\"containerPort\":9443,\"protocol\":\"TCP\"},{\"name\":\"probes\",\"containerPort\":8081,\"protocol\":\"TCP\"}]"),
        c.path("ports"));
    assertEquals(
        json("{\"path\":\"/healthz\",\"port\":\"probes\"}"),
        c.path("livenessProbe").path("httpGet"));
    assertEquals(
        json("{\"path\":\"/readyz\",\"port\":\"probes\"}"),
        c.path("readinessProbe").path("httpGet"));
    assertEquals(
        json("{\"path\":\"/healthz\",\"port\":\"probes\"}"),
        c.path("startupProbe").path("httpGet"));
    for (String kind : List.of("requests", "limits")) {
      assertFalse(c.path("resources").path(kind).path("cpu").isMissingNode(), kind + ".cpu");
      assertFalse(c.path("resources").path(kind).path("memory").isMissingNode(), kind + ".memory");
    }
    assertEquals(
        json(
            "{\"runAsNonRoot\":true,\"allowPrivilegeEscalation\":false,\"readOnlyRootFilesystem\":true,"
                + "\"capabilities\":{\"drop\":[\"ALL\"]},\"seccompProfile\":{\"type\":\"RuntimeDefault\"}}"),
        c.path("securityContext"));
    assertEquals(
        json("[{\"name\":\"tmp\",\"mountPath\":\"/tmp\"}]"),
        c.path("volumeMounts"),
        "only /tmp is writable");
  }

  @Test
  void serviceAndDisruptionBudget() {
    JsonNode service = Kustomize.find(docs, "Service", "ofn-webhook").path("spec");
    assertEquals(POD_LABELS, service.path("selector"));
    assertEquals(
        json("{\"name\":\"https\",\"port\":443,\"targetPort\":\"webhook\",\"protocol\":\"TCP\"}"),
        service.path("ports").get(0));
    JsonNode pdb = Kustomize.find(docs, "PodDisruptionBudget", "ofn-webhook").path("spec");
    assertEquals(1, pdb.path("minAvailable").asInt());
    assertEquals(POD_LABELS, pdb.path("selector").path("matchLabels"));
  }

  @Test
  void networkPolicy() {
    JsonNode spec = Kustomize.find(docs, "NetworkPolicy", "ofn-webhook").path("spec");
    assertEquals(POD_LABELS, spec.path("podSelector").path("matchLabels"));
    assertEquals(json("[\"Ingress\"]"), spec.path("policyTypes"));
    assertEquals(
        json(
            "[{\"ports\":[{\"protocol\":\"TCP\",\"port\":9443}]},"
                + "{\"ports\":[{\"protocol\":\"TCP\",\"port\":8081}],\"from\":[{\"namespaceSelector\":{\"matchLabels\":{\"ofn.io/monitoring\":\"true\"}}}]}]"),
        spec.path("ingress"),
        "9443 from any source, 8081 from monitoring namespaces");
  }

  @Test
  void namespacedObjectsLiveInOurNamespace() {
    Set<String> clusterScoped =
        Set.of(
            "Namespace",
            "ClusterRole",
            "ClusterRoleBinding",
            "MutatingWebhookConfiguration",
            "ValidatingWebhookConfiguration");
    for (ObjectNode doc : docs) {
      String kind = doc.path("kind").asString();
      assertEquals(
          clusterScoped.contains(kind) ? "" : NS,
          doc.path("metadata").path("namespace").asString(""),
          kind);
    }
  }
}
