package dev.ofn.webhook.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * RBAC rule by rule; any change here is a deliberate change of privileges (and `make e2e` runs the
 * server with exactly these).
 */
class RbacManifestsTest {
  static List<ObjectNode> docs;

  @BeforeAll
  static void render() {
    docs = Kustomize.render(Kustomize.manifests());
  }

  @Test
  void admissionSideOnlyReads() {
    assertEquals(
        List.of(
            "core.openfunction.io functions [] get,list,watch",
            "networking.openfunction.io gateways [] get,list,watch",
            "gateway.networking.k8s.io gatewayclasses,gateways,listenersets,httproutes,grpcroutes [] get,list,watch",
            " namespaces [] get,list,watch",
            "apiextensions.k8s.io customresourcedefinitions [] get,list,watch"),
        rules(Kustomize.find(docs, "ClusterRole", "ofn-webhook")));
  }

  @Test
  void controllerWritesWhatItOwnsAndMayBlockItsOwnersDeletion() {
    assertEquals(
        List.of(
            "core.openfunction.io functions [] patch",
            "core.openfunction.io functions/status [] update",
            "networking.openfunction.io gateways [] update",
            "networking.openfunction.io gateways/status [] update",
            "core.openfunction.io functions/finalizers [] update",
            "networking.openfunction.io gateways/finalizers [] update",
            "gateway.networking.k8s.io gateways [] create,patch,delete",
            "gateway.networking.k8s.io httproutes [] create,update,delete",
            "serving.knative.dev services [] get,list,watch",
            " services [] get,list,watch,create,update,delete",
            " events [] create"),
        rules(Kustomize.find(docs, "ClusterRole", "ofn-webhook-controller")));
  }

  @Test
  void selfManagedCertificatesTouchOnlyOurConfigurationsAndSecret() {
    assertEquals(
        List.of(
            "admissionregistration.k8s.io mutatingwebhookconfigurations,validatingwebhookconfigurations [ofn-webhook] get,list,watch,update"),
        rules(Kustomize.find(docs, "ClusterRole", "ofn-webhook-cabundle")));
    assertEquals(
        List.of(" secrets [ofn-webhook-certs] get,list,watch,update", " secrets [] create"),
        rules(Kustomize.find(docs, "Role", "ofn-webhook-certs")));
  }

  @Test
  void roleCoversOnlyOurLease() {
    assertEquals(
        List.of(
            "coordination.k8s.io leases [ofn-webhook] get,update,patch",
            "coordination.k8s.io leases [] create"),
        rules(Kustomize.find(docs, "Role", "ofn-webhook")));
  }

  @Test
  void noWildcardsAnywhere() {
    for (ObjectNode doc : docs) {
      if (doc.path("kind").asString().endsWith("Role")) {
        for (JsonNode rule : doc.path("rules")) {
          rule.properties()
              .forEach(
                  e ->
                      e.getValue()
                          .forEach(
                              v ->
                                  assertFalse(
                                      v.asString().contains("*"),
                                      doc.path("kind").asString() + " " + e.getKey() + ": " + v)));
          assertFalse(rule.has("nonResourceURLs"), "no non-resource URLs");
        }
      }
    }
  }

  @Test
  void bindingsGrantOurServiceAccountOnly() {
    for (String id :
        List.of(
            "ClusterRoleBinding ofn-webhook",
            "ClusterRoleBinding ofn-webhook-controller",
            "ClusterRoleBinding ofn-webhook-cabundle",
            "RoleBinding ofn-webhook",
            "RoleBinding ofn-webhook-certs")) {
      String kind = id.split(" ")[0];
      String name = id.split(" ")[1];
      ObjectNode binding = Kustomize.find(docs, kind, name);
      assertEquals(
          WebhookManifestsTest.json(
              "[{\"kind\":\"ServiceAccount\",\"name\":\"ofn-webhook\",\"namespace\":\"ofn-webhook-system\"}]"),
          binding.path("subjects"),
          kind);
      assertEquals(kind.replace("Binding", ""), binding.path("roleRef").path("kind").asString());
      assertEquals(name, binding.path("roleRef").path("name").asString());
    }
  }

  /** "group resources [names] verbs", one line per rule, in file order. */
  static List<String> rules(JsonNode role) {
    List<String> lines = new ArrayList<>();
    for (JsonNode rule : role.path("rules")) {
      lines.add(
          join(rule.path("apiGroups"))
              + " "
              + join(rule.path("resources"))
              + " ["
              + join(rule.path("resourceNames"))
              + "] "
              + join(rule.path("verbs")));
    }
    return lines;
  }

  private static String join(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asString()));
    return String.join(",", values);
  }
}
