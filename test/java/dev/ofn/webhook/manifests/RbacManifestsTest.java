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
 * RBAC rule by rule against SPEC §13's list; any change here is a deliberate change of privileges.
 */
class RbacManifestsTest {
  static List<ObjectNode> docs;

  @BeforeAll
  static void render() {
    docs = Kustomize.render(Kustomize.manifests());
  }

  @Test
  void clusterRoleIsExactlyTheSpecList() {
    assertEquals(
        List.of(
            "core.openfunction.io functions [] get,list,watch,update,patch",
            "core.openfunction.io functions/status [] update",
            "networking.openfunction.io gateways [] get,list,watch,update,patch",
            "networking.openfunction.io gateways/status [] update",
            "gateway.networking.k8s.io gateways [] get,list,watch,create,update,patch,delete",
            "gateway.networking.k8s.io httproutes [] get,list,watch,create,update,delete",
            "serving.knative.dev services [] get,list,watch",
            " services [] get,list,watch,create,update,delete",
            " namespaces [] get,list,watch",
            " events [] create,update",
            "events.k8s.io events [] create,update",
            "admissionregistration.k8s.io mutatingwebhookconfigurations,validatingwebhookconfigurations [ofn-webhook] get,list,watch,update,patch"),
        rules(Kustomize.find(docs, "ClusterRole", "ofn-webhook")));
  }

  @Test
  void roleCoversOnlyOurSecretAndLease() {
    assertEquals(
        List.of(
            " secrets [ofn-webhook-certs] get,list,watch,update",
            " secrets [] create",
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
    for (String kind : List.of("ClusterRoleBinding", "RoleBinding")) {
      ObjectNode binding = Kustomize.find(docs, kind, "ofn-webhook");
      assertEquals(
          WebhookManifestsTest.json(
              "[{\"kind\":\"ServiceAccount\",\"name\":\"ofn-webhook\",\"namespace\":\"ofn-webhook-system\"}]"),
          binding.path("subjects"),
          kind);
      assertEquals(kind.replace("Binding", ""), binding.path("roleRef").path("kind").asString());
      assertEquals("ofn-webhook", binding.path("roleRef").path("name").asString());
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
