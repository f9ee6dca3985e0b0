package dev.ofn.webhook.routing;

import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.model.FunctionBackends;
import dev.ofn.webhook.model.Names;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the HTTPRoute object the controller writes for a Function (docs/behaviour.md §6); pure.
 */
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
    String name = Json.stringOr(function, "", "metadata", "name");
    return httpRoute(
        function, gateway, Map.of(name, target(function, backend, gateway)), apiVersion);
  }

  /** Where one Function's share of a rule goes: its backend, and the Host that backend needs. */
  public record Target(Backend backend, String host) {}

  /** {@code function}'s backend with the Host it must be reached with. */
  public static Target target(JsonNode function, Backend backend, OfnGateway gateway) {
    return new Target(
        backend,
        hostHeader(
            backend,
            RouteDerivation.hostnames(function, gateway),
            Owner.namespaceOf(function),
            gateway));
  }

  /**
   * The HTTPRoute for {@code function} with its traffic split: {@code targets} by Function name. A
   * rule that names no Function sends to the Function's own target with a rule-level Host (as
   * OpenFunction); a rule that names Functions (see {@link FunctionBackends}) gets one weighted
   * backendRef per Function that has a target, each with its own Host filter (a rule-level Host
   * cannot serve two revisions). A Function without a target is left out of its rule.
   */
  public static ObjectNode httpRoute(
      JsonNode function, OfnGateway gateway, Map<String, Target> targets, String apiVersion) {
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
    ArrayNode rules = spec.putArray("rules");
    for (JsonNode rule : derived.rules()) {
      List<FunctionBackends.Ref> split = FunctionBackends.of(rule);
      rules.add(
          split.isEmpty()
              ? rule(rule, targets.get(name), namespace)
              : splitRule(rule, split, targets, namespace));
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

  private static ObjectNode rule(JsonNode source, Target target, String namespace) {
    ObjectNode rule = source.isObject() ? (ObjectNode) source.deepCopy() : Json.object();
    ArrayNode refs = rule.putArray("backendRefs");
    if (target == null) {
      return rule; // the Function's own backend is gone: this rule sends nowhere
    }
    backendRef(refs, target.backend(), namespace, 1);
    ArrayNode filters =
        rule.get("filters") instanceof ArrayNode existing ? existing : rule.putArray("filters");
    hostFilter(filters, target.host());
    return rule;
  }

  private static ObjectNode splitRule(
      JsonNode source,
      List<FunctionBackends.Ref> split,
      Map<String, Target> targets,
      String namespace) {
    ObjectNode rule = (ObjectNode) source.deepCopy();
    if (rule.get("filters") instanceof ArrayNode filters) {
      dropHost(filters);
    }
    ArrayNode refs = rule.putArray("backendRefs");
    for (FunctionBackends.Ref ref : split) {
      Target target = targets.get(ref.name());
      if (target == null) {
        continue;
      }
      ObjectNode backendRef = backendRef(refs, target.backend(), namespace, ref.weight());
      ArrayNode filters =
          ref.filters().isArray() ? (ArrayNode) ref.filters().deepCopy() : Json.array();
      hostFilter(filters, target.host());
      backendRef.set("filters", filters);
    }
    return rule;
  }

  private static ObjectNode backendRef(
      ArrayNode refs, Backend backend, String namespace, int weight) {
    return refs.addObject()
        .put("group", "")
        .put("kind", "Service")
        .put("name", backend.serviceName())
        .put("namespace", namespace)
        .put("port", backend.port())
        .put("weight", weight);
  }

  /**
   * Sets Host in the one RequestHeaderModifier of {@code filters}, adding it when there is none.
   */
  private static void hostFilter(ArrayNode filters, String host) {
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
  }

  /**
   * A split rule's own RequestHeaderModifier loses its Host entries (each backend sets its own); a
   * modifier left empty goes.
   */
  private static void dropHost(ArrayNode filters) {
    for (int i = filters.size() - 1; i >= 0; i--) {
      JsonNode filter = filters.get(i);
      if (filter.isObject()
          && HEADER_MODIFIER.equals(Json.stringOr(filter, "", "type"))
          && filter.get("requestHeaderModifier") instanceof ObjectNode modifier) {
        for (String list : List.of("add", "set", "remove")) {
          if (modifier.get(list) instanceof ArrayNode items) {
            items.removeIf(HttpRoutes::isHost);
            if (items.isEmpty()) {
              modifier.remove(list);
            }
          }
        }
        if (modifier.isEmpty()) {
          filters.remove(i);
        }
      }
    }
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
