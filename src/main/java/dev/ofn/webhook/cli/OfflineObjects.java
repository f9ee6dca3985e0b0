package dev.ofn.webhook.cli;

import dev.ofn.webhook.cli.Manifests.Document;
import dev.ofn.webhook.defaulting.FunctionContext;
import dev.ofn.webhook.defaulting.FunctionDefaulter;
import dev.ofn.webhook.defaulting.GatewayDefaulter;
import dev.ofn.webhook.gateways.GatewayCatalog;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.gateways.StaticGatewayCatalog;
import dev.ofn.webhook.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The offline edge: the same defaulters the mutating webhook calls, applied to manifest files as
 * the apiserver would (namespace filled in, OFN Gateways from the input, else the built-in
 * default).
 */
final class OfflineObjects {
  static final String FUNCTION_API = "core.openfunction.io/";
  static final String OFN_GATEWAY_API = "networking.openfunction.io/";

  /** A defaulted object, where it came from, and the warnings defaulting gave. */
  record Defaulted(String file, JsonNode object, List<String> warnings) {
    String describe() {
      return Json.stringOr(object, "?", "kind")
          + " "
          + Json.stringOr(object, "", "metadata", "namespace")
          + "/"
          + Json.stringOr(object, "", "metadata", "name");
    }
  }

  private OfflineObjects() {}

  static boolean isFunction(JsonNode object) {
    return "Function".equals(Json.stringOr(object, "", "kind"))
        && Json.stringOr(object, "", "apiVersion").startsWith(FUNCTION_API);
  }

  static boolean isOfnGateway(JsonNode object) {
    return "Gateway".equals(Json.stringOr(object, "", "kind"))
        && Json.stringOr(object, "", "apiVersion").startsWith(OFN_GATEWAY_API);
  }

  static boolean isHttpRoute(JsonNode object) {
    return "HTTPRoute".equals(Json.stringOr(object, "", "kind"))
        && Json.stringOr(object, "", "apiVersion").startsWith("gateway.networking.k8s.io/");
  }

  /** Defaults every document: gateways first (functions render from them), input order kept. */
  static List<Defaulted> defaultAll(List<Document> documents, String namespace) {
    List<ObjectNode> objects = new ArrayList<>();
    for (Document document : documents) {
      ObjectNode object = ((ObjectNode) document.object()).deepCopy();
      if (Json.string(object, "metadata", "namespace").filter(s -> !s.isEmpty()).isEmpty()) {
        Json.objectAt(object, "metadata").put("namespace", namespace);
      }
      objects.add(isOfnGateway(object) ? GatewayDefaulter.apply(object) : object);
    }
    List<OfnGateway> gateways =
        objects.stream().filter(OfflineObjects::isOfnGateway).map(OfnGateway::from).toList();
    GatewayCatalog catalog =
        gateways.isEmpty() ? StaticGatewayCatalog.builtIn() : new StaticGatewayCatalog(gateways);
    List<Defaulted> out = new ArrayList<>();
    for (int i = 0; i < objects.size(); i++) {
      ObjectNode object = objects.get(i);
      String file = documents.get(i).file();
      if (isFunction(object)) {
        Optional<OfnGateway> gateway =
            FunctionDefaulter.gatewayRef(object).flatMap(catalog::ofnGateway);
        var result =
            FunctionDefaulter.apply(
                object,
                new FunctionContext(
                    Json.stringOr(object, namespace, "metadata", "namespace"),
                    null,
                    gateway,
                    true));
        out.add(new Defaulted(file, result.object(), result.warnings()));
      } else {
        out.add(new Defaulted(file, object, List.of()));
      }
    }
    return out;
  }

  static GatewayCatalog catalogOf(List<Defaulted> objects) {
    List<OfnGateway> gateways =
        objects.stream()
            .map(Defaulted::object)
            .filter(OfflineObjects::isOfnGateway)
            .map(OfnGateway::from)
            .toList();
    return gateways.isEmpty() ? StaticGatewayCatalog.builtIn() : new StaticGatewayCatalog(gateways);
  }
}
