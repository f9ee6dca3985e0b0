package dev.ofn.webhook.defaulting;

import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.model.FunctionRoute;
import dev.ofn.webhook.model.FunctionRoute.Rendering;
import dev.ofn.webhook.model.Names;
import dev.ofn.webhook.model.Warnings;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * docs/behaviour.md §4 steps 4–6: fills the route's hostnames and rules from the OFN Gateway and
 * keeps the list of fields the webhook owns in the generated-route annotation.
 *
 * <p>Per field: absent or {@code []} → generated and listed (this is also how a field dropped by
 * server-side apply comes back). A listed field is re-rendered every pass, and becomes the user's
 * only when its new value differs both from {@code oldObject}'s and from the fresh rendering — so a
 * client that sends back the stored value (client-side apply, replace) or the rendered one keeps it
 * generated, and only a real edit takes it over. Unlisted present fields are the user's.
 *
 * <p>The list is read from {@code oldObject} on UPDATE and from the object on CREATE. One addition,
 * needed for idempotence under {@code reinvocationPolicy: IfNeeded} (a second pass of the same
 * UPDATE, with the same oldObject, sees what the first pass generated): on UPDATE a field listed in
 * the object's own annotation but not in oldObject's also counts as listed when its value is
 * exactly the fresh rendering. That only decides the annotation, never a value.
 */
final class GeneratedRoute {
  private static final String HOSTNAMES = FunctionRoute.HOSTNAMES;
  private static final String RULES = FunctionRoute.RULES;

  private final ObjectNode route;
  private final JsonNode oldRoute;
  private final Set<String> listed;
  private final Set<String> listedByObject;
  private final NamespacedName gatewayId;
  private final List<String> warnings;

  private GeneratedRoute(
      ObjectNode function,
      ObjectNode route,
      JsonNode oldObject,
      NamespacedName gatewayId,
      List<String> warnings) {
    this.route = route;
    this.oldRoute = oldObject == null ? null : FunctionRoute.route(oldObject);
    this.listed = FunctionRoute.generatedFields(oldObject == null ? function : oldObject);
    this.listedByObject = oldObject == null ? Set.of() : FunctionRoute.generatedFields(function);
    this.gatewayId = gatewayId;
    this.warnings = warnings;
  }

  /**
   * Completes {@code route} (inside {@code function}, both modified in place) and writes the
   * annotation. The caller has checked that {@code metadata.annotations} is absent or a map.
   */
  static void apply(
      ObjectNode function,
      ObjectNode route,
      JsonNode oldObject,
      OfnGateway gateway,
      String name,
      String namespace,
      List<String> warnings) {
    GeneratedRoute pass = new GeneratedRoute(function, route, oldObject, gateway.id(), warnings);
    List<String> generated = new ArrayList<>();
    boolean hostnames = pass.settle(HOSTNAMES, FunctionRoute.hostnames(gateway, name, namespace));
    if (hostnames) {
      generated.add(HOSTNAMES);
    }
    if (pass.settle(RULES, FunctionRoute.rules(gateway, name, namespace, hostnames))) {
      generated.add(RULES);
    }
    writeAnnotation(function, generated);
  }

  /** Decides one field; true when it is (still) generated. */
  private boolean settle(String field, Rendering rendering) {
    JsonNode current = route.get(field);
    boolean absent = Trees.unsetOrEmptyArray(current);
    boolean ours =
        listed.contains(field)
            || rendering.ok()
                && listedByObject.contains(field)
                && current != null
                && current.equals(rendering.value());
    if (!absent && !ours) {
      return false; // the user's: no rendering needed, so no warning about one either
    }
    JsonNode old = oldRoute == null ? null : oldRoute.get(field);
    if (!rendering.ok()) {
      warnings.add(rendering.problem());
      // No fresh value to compare with: an unchanged listed value stays ours (untouched) and
      // follows
      // once the Gateway is fixed; an edited one is the user's.
      return !absent && current.equals(old);
    }
    JsonNode fresh = rendering.value();
    if (!absent && !current.equals(old) && !current.equals(fresh)) {
      return false; // a real edit: the user takes the field over
    }
    if (listed.contains(field) && !Trees.unsetOrEmptyArray(old) && !old.equals(fresh)) {
      warnings.add(Warnings.clip("route " + field + " re-rendered from gateway " + gatewayId));
    }
    route.set(field, fresh);
    return true;
  }

  private static void writeAnnotation(ObjectNode function, List<String> generated) {
    if (generated.isEmpty()) {
      ObjectNode metadata = Trees.object(function, "metadata");
      ObjectNode annotations = Trees.object(metadata, "annotations");
      if (annotations != null
          && annotations.remove(Names.GENERATED_ROUTE_ANNOTATION) != null
          && annotations.isEmpty()) {
        metadata.remove("annotations"); // it held only our key: leave no empty map behind
      }
      return;
    }
    Trees.objectOrCreate(Trees.objectOrCreate(function, "metadata"), "annotations")
        .put(
            Names.GENERATED_ROUTE_ANNOTATION,
            FunctionRoute.generatedAnnotation(generated).orElseThrow());
  }
}
