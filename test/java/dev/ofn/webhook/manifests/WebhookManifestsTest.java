package dev.ofn.webhook.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ofn.webhook.json.Json;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The rendered webhook configurations, field by field, against docs/behaviour.md §1 and §13 (not
 * against the files).
 */
class WebhookManifestsTest {
  static String text;
  static List<ObjectNode> docs;

  @BeforeAll
  static void render() {
    text = Kustomize.renderText(Kustomize.manifests());
    docs = Kustomize.documents(text);
  }

  static final String FUNCTIONS =
      "{\"apiGroups\":[\"core.openfunction.io\"],\"apiVersions\":[\"v1beta2\"],"
          + "\"operations\":[\"CREATE\",\"UPDATE\"],\"resources\":[\"functions\"],\"scope\":\"Namespaced\"}";
  static final String GATEWAYS =
      "{\"apiGroups\":[\"networking.openfunction.io\"],\"apiVersions\":[\"v1alpha1\"],"
          + "\"operations\":[\"CREATE\",\"UPDATE\"],\"resources\":[\"gateways\"],\"scope\":\"Namespaced\"}";
  static final String HTTPROUTES =
      "{\"apiGroups\":[\"gateway.networking.k8s.io\"],\"apiVersions\":[\"v1\",\"v1beta1\",\"v1alpha2\"],"
          + "\"operations\":[\"CREATE\",\"UPDATE\"],\"resources\":[\"httproutes\"],\"scope\":\"Namespaced\"}";
  static final String GRPCROUTES =
      "{\"apiGroups\":[\"gateway.networking.k8s.io\"],\"apiVersions\":[\"v1\"],"
          + "\"operations\":[\"CREATE\",\"UPDATE\"],\"resources\":[\"grpcroutes\"],\"scope\":\"Namespaced\"}";

  @Test
  void mutatingConfiguration() {
    ObjectNode config = Kustomize.find(docs, "MutatingWebhookConfiguration", "ofn-webhook");
    assertEquals("admissionregistration.k8s.io/v1", config.path("apiVersion").asString());
    JsonNode webhooks = config.path("webhooks");
    assertEquals(2, webhooks.size());
    assertWebhook(
        webhooks.get(0),
        "mfunctions.of.io",
        "/mutate-core-openfunction-io-v1beta2-function",
        "Ignore",
        true,
        FUNCTIONS);
    assertWebhook(
        webhooks.get(1),
        "mgateway.of.io",
        "/mutate-networking-openfunction-io-v1alpha1-gateway",
        "Ignore",
        true,
        GATEWAYS);
  }

  @Test
  void validatingConfiguration() {
    ObjectNode config = Kustomize.find(docs, "ValidatingWebhookConfiguration", "ofn-webhook");
    assertEquals("admissionregistration.k8s.io/v1", config.path("apiVersion").asString());
    JsonNode webhooks = config.path("webhooks");
    assertEquals(4, webhooks.size());
    assertWebhook(
        webhooks.get(0),
        "vfunctions.of.io",
        "/validate-core-openfunction-io-v1beta2-function",
        "Fail",
        false,
        FUNCTIONS);
    assertWebhook(
        webhooks.get(1),
        "vgateway.of.io",
        "/validate-networking-openfunction-io-v1alpha1-gateway",
        "Fail",
        false,
        GATEWAYS);
    assertWebhook(
        webhooks.get(2),
        "vhttproutes.of.io",
        "/validate-gateway-networking-k8s-io-v1-httproute",
        "Ignore",
        false,
        HTTPROUTES);
    assertWebhook(
        webhooks.get(3),
        "vgrpcroutes.of.io",
        "/validate-gateway-networking-k8s-io-v1-grpcroute",
        "Ignore",
        false,
        GRPCROUTES);
  }

  /**
   * The leader (or cainjector) owns caBundle; a value in the files would be reset by every apply.
   */
  @Test
  void noCaBundleAnywhere() {
    assertFalse(text.contains("caBundle"), "caBundle in the rendered manifests");
  }

  @Test
  void noStatusSubresourceOrWildcardInRules() {
    for (String kind : List.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")) {
      for (JsonNode webhook : Kustomize.find(docs, kind, "ofn-webhook").path("webhooks")) {
        for (JsonNode rule : webhook.path("rules")) {
          for (String field : List.of("apiGroups", "apiVersions", "operations", "resources")) {
            for (JsonNode value : rule.path(field)) {
              assertFalse(
                  value.asString().contains("*") || value.asString().contains("/"),
                  kind + " " + field + ": " + value);
            }
          }
        }
      }
    }
  }

  static void assertWebhook(
      JsonNode webhook,
      String name,
      String path,
      String failurePolicy,
      boolean mutating,
      String rule) {
    Set<String> fields =
        new TreeSet<>(
            Set.of(
                "name",
                "clientConfig",
                "rules",
                "failurePolicy",
                "sideEffects",
                "timeoutSeconds",
                "matchPolicy",
                "admissionReviewVersions",
                "namespaceSelector"));
    if (mutating) {
      fields.add("reinvocationPolicy");
    }
    assertEquals(fields, new TreeSet<>(webhook.propertyNames()), name + ": exactly these fields");
    assertEquals(name, webhook.path("name").asString());
    assertEquals(
        json(
            "{\"service\":{\"name\":\"ofn-webhook\",\"namespace\":\"ofn-webhook-system\",\"path\":\""
                + path
                + "\",\"port\":443}}"),
        webhook.path("clientConfig"),
        name);
    assertEquals(json("[" + rule + "]"), webhook.path("rules"), name);
    assertEquals(failurePolicy, webhook.path("failurePolicy").asString(), name);
    assertEquals("NoneOnDryRun", webhook.path("sideEffects").asString(), name);
    assertEquals(5, webhook.path("timeoutSeconds").asInt(), name);
    assertEquals("Equivalent", webhook.path("matchPolicy").asString(), name);
    assertEquals(json("[\"v1\",\"v1beta1\"]"), webhook.path("admissionReviewVersions"), name);
    assertEquals(
        json(
            "{\"matchExpressions\":[{\"key\":\"kubernetes.io/metadata.name\",\"operator\":\"NotIn\","
                + "\"values\":[\"kube-system\",\"ofn-webhook-system\"]}]}"),
        webhook.path("namespaceSelector"),
        name);
    if (mutating) {
      assertEquals("IfNeeded", webhook.path("reinvocationPolicy").asString(), name);
    }
  }

  static JsonNode json(String text) {
    return Json.MAPPER.readTree(text);
  }
}
