package dev.ofn.webhook.defaulting;

import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.model.FunctionRoute;
import dev.ofn.webhook.model.Warnings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Defaults a Function (docs/behaviour.md §4): parity steps 1–3 always, then — with {@link
 * FunctionContext#persistGeneratedRoute()} — the route's hostnames and rules from its OFN Gateway
 * (steps 4–7). Pure: the input is never modified; parts of the wrong type are left as they are for
 * validation to report; nothing throws. Idempotent for a fixed context.
 */
public final class FunctionDefaulter {
  private FunctionDefaulter() {}

  /** The defaulted copy of {@code function} and the warnings for the admission response. */
  public static DefaultingResult apply(JsonNode function, FunctionContext context) {
    // A non-object (never sent by the apiserver) is defaulted as {}: the result is still a fixed
    // point.
    ObjectNode result = function instanceof ObjectNode object ? object.deepCopy() : Json.object();
    FunctionParity.apply(result);
    List<String> warnings = new ArrayList<>();
    if (context != null && context.persistGeneratedRoute()) {
      generateRoute(result, context, warnings);
    }
    return new DefaultingResult(result, warnings);
  }

  /** Steps 4–8; every reason to skip them is a warning except "this Function has no route". */
  private static void generateRoute(
      ObjectNode function, FunctionContext context, List<String> warnings) {
    JsonNode routeNode = FunctionRoute.route(function);
    if (!(routeNode instanceof ObjectNode route)) {
      return; // step 8 (no serving or no http trigger), or a route of the wrong type
    }
    JsonNode metadata = function.get("metadata");
    JsonNode annotations = metadata == null ? null : metadata.get("annotations");
    if (!Trees.unset(metadata) && !metadata.isObject()
        || !Trees.unset(annotations) && !annotations.isObject()) {
      warnings.add(notGenerated("metadata.annotations is not a map"));
      return; // nowhere to record what we generate: the next pass would take it for the user's
    }
    Optional<NamespacedName> ref = FunctionRoute.gatewayRef(function);
    if (ref.isEmpty()) {
      warnings.add(notGenerated("route gatewayRef lacks a name or namespace"));
      return;
    }
    Optional<OfnGateway> gateway = context.gateway();
    if (gateway.isEmpty()) {
      warnings.add(notGenerated("gateway " + ref.get() + " not found"));
      return;
    }
    String name = Json.stringOr(function, "", "metadata", "name");
    if (name.isEmpty()) {
      warnings.add(notGenerated("the Function has no name yet"));
      return;
    }
    String namespace =
        context.namespace() != null && !context.namespace().isEmpty()
            ? context.namespace()
            : Json.stringOr(function, "default", "metadata", "namespace");
    JsonNode oldObject = context.isUpdate() ? context.oldObject() : null;
    GeneratedRoute.apply(function, route, oldObject, gateway.get(), name, namespace, warnings);
  }

  private static String notGenerated(String why) {
    return Warnings.clip(why + ": route hostnames and rules not generated");
  }
}
