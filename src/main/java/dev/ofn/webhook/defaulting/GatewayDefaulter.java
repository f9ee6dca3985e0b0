package dev.ofn.webhook.defaulting;

import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Defaults an OFN Gateway (docs/behaviour.md §2): OpenFunction's {@code Gateway.Default()} on the
 * raw tree, plus the CRD's schema defaults.
 *
 * <p>Order: the four CRD defaults first — the apiserver applies them before any webhook, so Go's
 * {@code Default()} always sees them, and {@code webhook default} must agree with a cluster that
 * has them — then parity steps 1–5. The {@code last-applied-configuration} annotation therefore
 * holds the spec <em>after</em> defaulting, as Go marshals it at step 5 (our JSON keeps unknown
 * fields and the object's own field order; Go's would follow its struct).
 *
 * <p>Pure: the input is never modified. Parts of the wrong type are left as they are (validation
 * reports them); nothing throws.
 */
public final class GatewayDefaulter {
  public static final String LAST_APPLIED_ANNOTATION =
      "networking.openfunction.io/last-applied-configuration";
  static final int INTERNAL_PORT = 80;
  static final String INTERNAL_PROTOCOL = "HTTP";

  private GatewayDefaulter() {}

  /**
   * A defaulted deep copy of {@code gateway}; a non-object (never sent by the apiserver) counts as
   * {}.
   */
  public static ObjectNode apply(JsonNode gateway) {
    ObjectNode result = gateway instanceof ObjectNode object ? object.deepCopy() : Json.object();
    ObjectNode spec = Trees.objectOrCreate(result, "spec");
    if (spec == null) {
      return result;
    }
    crdDefaults(spec);
    gatewayDefName(result, spec);
    listeners(spec);
    lastApplied(result, spec);
    return result;
  }

  /** The schema defaults of the CRD, for objects that did not pass through apiserver defaulting. */
  private static void crdDefaults(ObjectNode spec) {
    putIfAbsent(spec, "clusterDomain", OfnGateway.DEFAULT_CLUSTER_DOMAIN);
    putIfAbsent(spec, "hostTemplate", OfnGateway.DEFAULT_HOST_TEMPLATE);
    putIfAbsent(spec, "pathTemplate", OfnGateway.DEFAULT_PATH_TEMPLATE);
    putIfAbsent(spec, "httpRouteLabelKey", OfnGateway.DEFAULT_LABEL_KEY);
  }

  /** Step 1: a gatewayDef without a name defines the k8s Gateway named like this OFN Gateway. */
  private static void gatewayDefName(ObjectNode gateway, ObjectNode spec) {
    JsonNode def = spec.get("gatewayDef");
    if (def instanceof ObjectNode defObject && Trees.unsetOrEmpty(defObject.get("name"))) {
      Json.string(gateway, "metadata", "name").ifPresent(name -> defObject.put("name", name));
    }
  }

  /** Steps 2–4: the internal listener is ours entirely; the others get the domain's wildcard. */
  private static void listeners(ObjectNode spec) {
    ObjectNode gatewaySpec = Trees.objectOrCreate(spec, "gatewaySpec");
    JsonNode listeners = gatewaySpec == null ? null : gatewaySpec.get("listeners");
    if (gatewaySpec != null && Trees.unset(listeners)) {
      listeners = gatewaySpec.putArray("listeners");
    }
    if (listeners == null || !listeners.isArray()) {
      return;
    }
    String internalHost =
        "*." + Json.stringOr(spec, OfnGateway.DEFAULT_CLUSTER_DOMAIN, "clusterDomain");
    // An empty domain would force the invalid "*."; validation denies that Gateway anyway, so the
    // listener is left as written instead of being damaged.
    String domain = Json.stringOr(spec, "", "domain");
    boolean hasInternal = false;
    for (JsonNode item : listeners) {
      if (!(item instanceof ObjectNode listener)) {
        continue;
      }
      if (OfnGateway.INTERNAL_LISTENER.equals(Json.stringOr(listener, "", "name"))) {
        hasInternal = true;
        forceInternal(listener, internalHost);
      } else if (!domain.isEmpty()) {
        listener.put("hostname", "*." + domain);
      }
    }
    if (!hasInternal) {
      ObjectNode internal = ((ArrayNode) listeners).addObject();
      internal.put("name", OfnGateway.INTERNAL_LISTENER);
      forceInternal(internal, internalHost);
    }
  }

  /**
   * Go replaces hostname, port, protocol and the whole {@code allowedRoutes} (dropping e.g. its
   * {@code kinds}); we do the same, so the internal route always attaches. Other listener fields
   * stay.
   */
  private static void forceInternal(ObjectNode listener, String hostname) {
    listener.put("hostname", hostname);
    listener.put("port", INTERNAL_PORT);
    listener.put("protocol", INTERNAL_PROTOCOL);
    ObjectNode allowed = Json.object();
    allowed.putObject("namespaces").put("from", "All");
    if (!allowed.equals(listener.get("allowedRoutes"))) {
      listener.set("allowedRoutes", allowed);
    }
  }

  /** Step 5: OpenFunction's controller compares later specs against this snapshot. */
  private static void lastApplied(ObjectNode gateway, ObjectNode spec) {
    ObjectNode metadata = Trees.objectOrCreate(gateway, "metadata");
    ObjectNode annotations =
        metadata == null ? null : Trees.objectOrCreate(metadata, "annotations");
    if (annotations != null && Trees.unset(annotations.get(LAST_APPLIED_ANNOTATION))) {
      annotations.put(LAST_APPLIED_ANNOTATION, Json.MAPPER.writeValueAsString(spec));
    }
  }

  private static void putIfAbsent(ObjectNode node, String field, String value) {
    if (Trees.unset(node.get(field))) {
      node.put(field, value);
    }
  }
}
