package dev.ofn.webhook.bench;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.cli.TestServer;
import dev.ofn.webhook.defaulting.FunctionContext;
import dev.ofn.webhook.defaulting.FunctionDefaulter;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.gateways.StaticGatewayCatalog;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.model.FunctionRoute;
import dev.ofn.webhook.routing.Backend;
import dev.ofn.webhook.routing.HttpRoutes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The benchmark's request bodies, from the shared fixtures: what the apiserver sends each webhook
 * for {@code kubectl apply -f function-sample-serving-only.yaml}. {@code main(DIR)} writes {@code
 * mutate_function.json} (the sample as written), {@code validate_function.json} (the sample after
 * defaulting, as the validating webhook receives it) and {@code validate_httproute.json} (the
 * HTTPRoute our controller derives for that Function, {@link HttpRoutes#httpRoute}).
 *
 * <p>Each review carries what a real one does besides the object (so the parse cost is realistic):
 * the resource and request kinds, {@code userInfo}, {@code options}, and in the object the {@code
 * kubectl.kubernetes.io/last-applied-configuration} annotation and {@code managedFields}.
 */
public final class ReviewBodies {
  private final ObjectNode sample = Fixtures.load("function-sample-serving-only.yaml", "default");

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    ReviewBodies bodies = new ReviewBodies();
    Files.write(dir.resolve("mutate_function.json"), review(bodies.sample, bodies.sample));
    Files.write(
        dir.resolve("validate_function.json"), review(defaulted(bodies.sample), bodies.sample));
    // the HTTPRoute our controller writes for it (Knative backend), owned by the Function
    ObjectNode function = defaulted(bodies.sample);
    function.withObject("/metadata").put("uid", "6f1c1b0e-2f0a-4a8e-9d57-0e1c5a6b7c8d");
    OfnGateway gateway =
        StaticGatewayCatalog.builtIn()
            .ofnGateway(FunctionRoute.gatewayRef(function).orElseThrow())
            .orElseThrow();
    JsonNode route =
        HttpRoutes.httpRoute(
            function,
            gateway,
            Backend.knative("function-sample-serving-only-v1-00001"),
            "gateway.networking.k8s.io/v1beta1");
    Files.write(dir.resolve("validate_httproute.json"), review(route, null));
  }

  /**
   * A CREATE review of a distinct defaulted Function: {@code bench-<i>} in one of 100 namespaces,
   * own hostname.
   */
  byte[] create(int i) {
    ObjectNode function = sample.deepCopy();
    function
        .withObject("/metadata")
        .put("name", "bench-" + i)
        .put("namespace", "bench-" + (i % 100));
    return review(defaulted(function), null);
  }

  private static ObjectNode defaulted(ObjectNode function) {
    String namespace = function.path("metadata").path("namespace").asString("default");
    Optional<OfnGateway> gateway =
        FunctionRoute.gatewayRef(function).flatMap(StaticGatewayCatalog.builtIn()::ofnGateway);
    return (ObjectNode)
        FunctionDefaulter.apply(function, new FunctionContext(namespace, null, gateway, true))
            .object();
  }

  /**
   * A CREATE review of {@code object}; {@code applied} (the user's manifest, when kubectl sent it)
   * becomes the last-applied annotation.
   */
  private static byte[] review(JsonNode object, JsonNode applied) {
    ObjectNode sent = (ObjectNode) object.deepCopy();
    boolean kubectl = applied != null;
    ObjectNode metadata = sent.withObject("/metadata");
    if (kubectl) {
      metadata
          .withObject("/annotations")
          .put(
              "kubectl.kubernetes.io/last-applied-configuration",
              Json.MAPPER.writeValueAsString(applied) + "\n");
    }
    ObjectNode fields = Json.object();
    for (String section : new String[] {"metadata", "spec"}) {
      if (sent.has(section)) {
        fields.set("f:" + section, fieldsV1(sent.path(section)));
      }
    }
    metadata.put("generation", 1);
    ObjectNode managed = metadata.putArray("managedFields").addObject();
    managed.put("apiVersion", sent.path("apiVersion").asString(""));
    managed.put("fieldsType", "FieldsV1");
    managed.set("fieldsV1", fields);
    managed.put("manager", kubectl ? "kubectl-client-side-apply" : "ofn-webhook");
    managed.put("operation", kubectl ? "Update" : "Apply");
    managed.put("time", "2025-01-01T00:00:00Z");

    ObjectNode review = TestServer.reviewOf("CREATE", sent, null);
    ObjectNode request = (ObjectNode) review.path("request");
    JsonNode kind = request.path("kind");
    String resource = kind.path("kind").asString("").toLowerCase(java.util.Locale.ROOT) + "s";
    ObjectNode gvr =
        Json.object()
            .put("group", kind.path("group").asString(""))
            .put("version", kind.path("version").asString(""))
            .put("resource", resource);
    request.set("resource", gvr);
    request.set("requestKind", kind.deepCopy());
    request.set("requestResource", gvr.deepCopy());
    ObjectNode user = request.putObject("userInfo").put("username", "kubernetes-admin");
    user.putArray("groups").add("kubeadm:cluster-admins").add("system:authenticated");
    request
        .putObject("options")
        .put("kind", "CreateOptions")
        .put("apiVersion", "meta.k8s.io/v1")
        .put("fieldManager", kubectl ? "kubectl-client-side-apply" : "ofn-webhook");
    return Json.MAPPER.writeValueAsBytes(review);
  }

  /**
   * The FieldsV1 set of a tree, as the apiserver records it: {@code f:<field>} per object key,
   * lists as leaves.
   */
  private static JsonNode fieldsV1(JsonNode node) {
    ObjectNode out = Json.object();
    if (node.isObject()) {
      out.putObject(".");
      for (java.util.Map.Entry<String, JsonNode> e : node.properties()) {
        out.set(
            "f:" + e.getKey(), e.getValue().isObject() ? fieldsV1(e.getValue()) : Json.object());
      }
    }
    return out;
  }
}
