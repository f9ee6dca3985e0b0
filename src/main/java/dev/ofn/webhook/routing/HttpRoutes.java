package dev.ofn.webhook.routing;

import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.model.Names;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Builds the HTTPRoute object the controller writes for a Function (SPEC §6); pure. */
public final class HttpRoutes {
  public static final String FUNCTION_LABEL = "openfunction.io/function";
  public static final String CREATED_BY_LABEL = "app.kubernetes.io/created-by";
  public static final String CREATED_BY = "ofn-webhook";
  public static final String HEADER_MODIFIER = "RequestHeaderModifier";

  private HttpRoutes() {}

  /**
   * The HTTPRoute for {@code function}, or null when it has no route. {@code apiVersion} is the
   * served one, e.g. {@code gateway.networking.k8s.io/v1beta1}. The created-by label is written
   * last so that a Gateway whose httpRouteLabelKey collides with it cannot make our routes look
   * foreign.
   */
  public static ObjectNode httpRoute(
      JsonNode function, OfnGateway gateway, Backend backend, String apiVersion) {
    RouteDerivation.Derived derived = RouteDerivation.derive(function, gateway).orElse(null);
    if (derived == null || !derived.ok()) {
      return null;
    }
    String name = Json.stringOr(function, "", "metadata", "name");
    String namespace = Owner.namespaceOf(function);
    ObjectNode route =
        Json.object().put("apiVersion", apiVersion).put("kind", Names.HTTPROUTE_KIND);
    ObjectNode metadata = route.putObject("metadata").put("name", name).put("namespace", namespace);
    metadata
        .putObject("labels")
        .put(gateway.httpRouteLabelKey(), gateway.id().namespace() + "." + gateway.id().name())
        .put(FUNCTION_LABEL, name)
        .put(CREATED_BY_LABEL, CREATED_BY);
    ObjectNode owner =
        metadata
            .putArray("ownerReferences")
            .addObject()
            .put("apiVersion", Json.stringOr(function, Names.FUNCTION_API_VERSION, "apiVersion"))
            .put("kind", Names.FUNCTION_KIND)
            .put("name", name);
    Json.string(function, "metadata", "uid").ifPresent(uid -> owner.put("uid", uid));
    owner.put("controller", true).put("blockOwnerDeletion", true);

    ObjectNode spec = route.putObject("spec");
    spec.set("parentRefs", derived.parentRefs());
    ArrayNode hostnames = spec.putArray("hostnames");
    derived.hostnames().forEach(hostnames::add);
    String host = hostHeader(backend, derived.hostnames(), namespace, gateway);
    ArrayNode rules = spec.putArray("rules");
    for (JsonNode rule : derived.rules()) {
      rules.add(rule(rule, backend, namespace, host));
    }
    return route;
  }

  /**
   * The Host the backend must see. Knative routes by the revision's cluster host. The KEDA
   * interceptor routes by the HTTPScaledObject's hosts (the Function's hostnames); one Host value
   * per rule is all the CRD allows (header lists are maps keyed by name), so every request is
   * rewritten to the first non-wildcard hostname, which also makes the internal host reach the
   * right function.
   */
  static String hostHeader(
      Backend backend, List<String> hostnames, String namespace, OfnGateway gateway) {
    if (backend.engine() == Backend.Engine.KNATIVE) {
      return backend.revision() + "." + namespace + ".svc." + gateway.clusterDomain();
    }
    return hostnames.stream()
        .filter(h -> !Hostnames.wildcard(h))
        .findFirst()
        .orElse(hostnames.get(0));
  }

  private static ObjectNode rule(JsonNode source, Backend backend, String namespace, String host) {
    ObjectNode rule = source.isObject() ? (ObjectNode) source.deepCopy() : Json.object();
    rule.putArray("backendRefs")
        .addObject()
        .put("group", "")
        .put("kind", "Service")
        .put("name", backend.serviceName())
        .put("namespace", namespace)
        .put("port", backend.port())
        .put("weight", 1);
    ArrayNode filters =
        rule.get("filters") instanceof ArrayNode existing ? existing : rule.putArray("filters");
    ObjectNode modifier = null;
    for (JsonNode filter : filters) {
      if (filter.isObject() && HEADER_MODIFIER.equals(Json.stringOr(filter, "", "type"))) {
        modifier = Json.objectAt((ObjectNode) filter, "requestHeaderModifier");
        break;
      }
    }
    if (modifier == null) {
      // OpenFunction appends a second RequestHeaderModifier here, which the CRD rejects; we merge.
      modifier =
          filters.addObject().put("type", HEADER_MODIFIER).putObject("requestHeaderModifier");
    }
    setHost(modifier, host);
    return rule;
  }

  /**
   * Sets Host in the modifier, dropping the user's Host entries from add/set/remove: the backend is
   * unreachable under any other Host, so ours must win. Lists we empty are removed.
   */
  static void setHost(ObjectNode modifier, String host) {
    for (String list : List.of("add", "remove")) {
      if (modifier.get(list) instanceof ArrayNode items) {
        items.removeIf(HttpRoutes::isHost);
        if (items.isEmpty()) {
          modifier.remove(list);
        }
      }
    }
    ArrayNode set =
        modifier.get("set") instanceof ArrayNode existing ? existing : modifier.putArray("set");
    set.removeIf(HttpRoutes::isHost);
    set.addObject().put("name", "Host").put("value", host);
  }

  private static boolean isHost(JsonNode entry) {
    String name = entry.isString() ? entry.stringValue() : Json.stringOr(entry, "", "name");
    return "host".equalsIgnoreCase(name);
  }
}
