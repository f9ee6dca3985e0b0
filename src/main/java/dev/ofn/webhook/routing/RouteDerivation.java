package dev.ofn.webhook.routing;

import dev.ofn.webhook.gateways.Listener;
import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.routing.Templates.TemplateException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The route a Function gets (SPEC §6): pure functions of the Function tree and its OFN Gateway,
 * shared by the controller (which writes it), the conflict keys (which police it) and the status
 * (addresses).
 */
public final class RouteDerivation {
  public static final String GENERATED_ROUTE_ANNOTATION =
      "networking.openfunction.io/generated-route";
  public static final NamespacedName DEFAULT_GATEWAY =
      new NamespacedName("openfunction", "openfunction");

  /** Where a Function's route lives; error paths start here. */
  public static final String ROUTE_PATH = "spec.serving.triggers.http.route";

  public static final String GATEWAY_GROUP = "gateway.networking.k8s.io";

  private static final Set<String> HOST_FIELDS = Set.of("Name", "Namespace", "Domain");
  private static final Set<String> PATH_FIELDS = Set.of("Name", "Namespace");

  private RouteDerivation() {}

  /** The derived route's spec parts; {@code rules} still carry the Function's own backendRefs. */
  public record Derived(List<String> hostnames, ArrayNode rules, ArrayNode parentRefs) {}

  /** Only Functions with {@code spec.serving.triggers.http} get a route (SPEC §4.8). */
  public static boolean hasRoute(JsonNode function) {
    return Json.at(function, "spec", "serving", "triggers", "http").isObject();
  }

  /**
   * The OFN Gateway the Function uses: its gatewayRef (namespace defaulting to its own), else the
   * default.
   */
  public static NamespacedName gatewayRef(JsonNode function) {
    JsonNode ref = Json.at(function, "spec", "serving", "triggers", "http", "route", "gatewayRef");
    if (!ref.isObject() || Json.stringOr(ref, "", "name").isEmpty()) {
      return DEFAULT_GATEWAY;
    }
    return new NamespacedName(
        Json.stringOr(ref, Owner.namespaceOf(function), "namespace"),
        Json.stringOr(ref, "", "name"));
  }

  /** The fields listed in the generated-route annotation ({@code hostnames}, {@code rules}). */
  public static Set<String> generatedFields(JsonNode function) {
    Set<String> fields = new LinkedHashSet<>();
    for (String field :
        Json.stringOr(function, "", "metadata", "annotations", GENERATED_ROUTE_ANNOTATION)
            .split(",")) {
      if (!field.isBlank()) {
        fields.add(field.trim());
      }
    }
    return fields;
  }

  /**
   * The host template rendered for a Function; empty when the template is not one we can render.
   */
  public static Optional<String> renderHost(String name, String namespace, OfnGateway gateway) {
    return render(
        gateway.hostTemplate(),
        HOST_FIELDS,
        Map.of("Name", name, "Namespace", namespace, "Domain", gateway.domain()));
  }

  /**
   * The path template rendered with a leading {@code /} added when missing (as OpenFunction does).
   */
  public static Optional<String> renderPath(String name, String namespace, OfnGateway gateway) {
    return render(gateway.pathTemplate(), PATH_FIELDS, Map.of("Name", name, "Namespace", namespace))
        .map(path -> path.startsWith("/") ? path : "/" + path);
  }

  private static Optional<String> render(
      String template, Set<String> fields, Map<String, String> values) {
    try {
      return Optional.of(Templates.parse(template, fields).render(values));
    } catch (TemplateException e) {
      // Validation refuses such Gateways; one stored before our webhook existed generates nothing.
      return Optional.empty();
    }
  }

  /**
   * {@code <name>.<namespace>.svc.<clusterDomain>}: how the Function is reached inside the cluster.
   */
  public static String internalHost(String name, String namespace, OfnGateway gateway) {
    return name + "." + namespace + ".svc." + gateway.clusterDomain();
  }

  /**
   * True when the Function's hostnames come from the Gateway: listed as generated, or absent/empty.
   */
  public static boolean hostnamesGenerated(JsonNode function) {
    return generated(function, "hostnames");
  }

  /** True when the Function's rules come from the Gateway: listed as generated, or absent/empty. */
  public static boolean rulesGenerated(JsonNode function) {
    return generated(function, "rules");
  }

  private static boolean generated(JsonNode function, String field) {
    JsonNode value = Json.at(function, "spec", "serving", "triggers", "http", "route", field);
    return !value.isArray() || value.isEmpty() || generatedFields(function).contains(field);
  }

  /** The derived route's hostnames: the Function's or the rendered one, then the internal host. */
  public static List<String> hostnames(JsonNode function, OfnGateway gateway) {
    String name = Json.stringOr(function, "", "metadata", "name");
    String namespace = Owner.namespaceOf(function);
    List<String> hostnames = new ArrayList<>();
    if (hostnamesGenerated(function)) {
      renderHost(name, namespace, gateway).filter(h -> !h.isEmpty()).ifPresent(hostnames::add);
    } else {
      for (JsonNode host :
          Json.at(function, "spec", "serving", "triggers", "http", "route", "hostnames")) {
        if (host.isString()) {
          hostnames.add(host.stringValue());
        }
      }
    }
    String internal = internalHost(name, namespace, gateway);
    if (!hostnames.contains(internal)) {
      hostnames.add(internal);
    }
    return List.copyOf(hostnames);
  }

  /**
   * The derived route's rules: a copy of the Function's, or one PathPrefix rule at {@code /}
   * (generated hostnames: the host already identifies the Function) or at the rendered path (user
   * hostnames).
   */
  public static ArrayNode rules(JsonNode function, OfnGateway gateway) {
    if (!rulesGenerated(function)) {
      return (ArrayNode)
          Json.at(function, "spec", "serving", "triggers", "http", "route", "rules").deepCopy();
    }
    String path = "/";
    if (!hostnamesGenerated(function)) {
      path =
          renderPath(
                  Json.stringOr(function, "", "metadata", "name"),
                  Owner.namespaceOf(function),
                  gateway)
              .orElse("/");
    }
    ArrayNode rules = Json.array();
    ObjectNode match = rules.addObject().putArray("matches").addObject();
    match.putObject("path").put("type", Match.PATH_PREFIX).put("value", path);
    return rules;
  }

  /**
   * Parent refs to the OFN Gateway's k8s Gateway: one per OFN listener some hostname intersects, by
   * sectionName (so the route never lands on the Gateway owner's other listeners); a single ref
   * without sectionName, as OpenFunction writes, when none does.
   */
  public static ArrayNode parentRefs(List<String> hostnames, OfnGateway gateway) {
    ArrayNode refs = Json.array();
    Set<String> sections = new LinkedHashSet<>();
    for (Listener listener : gateway.listeners()) {
      for (String host : hostnames) {
        if (!listener.name().isEmpty() && Hostnames.intersect(listener.hostname(), host) != null) {
          sections.add(listener.name());
        }
      }
    }
    if (sections.isEmpty()) {
      parentRef(refs, gateway);
    }
    for (String section : sections) {
      parentRef(refs, gateway).put("sectionName", section);
    }
    return refs;
  }

  private static ObjectNode parentRef(ArrayNode refs, OfnGateway gateway) {
    return refs.addObject()
        .put("group", GATEWAY_GROUP)
        .put("kind", "Gateway")
        .put("namespace", gateway.k8sGateway().namespace())
        .put("name", gateway.k8sGateway().name());
  }

  /** Hostnames, rules and parentRefs of the Function's route; empty when it has no route. */
  public static Optional<Derived> derive(JsonNode function, OfnGateway gateway) {
    if (!hasRoute(function)) {
      return Optional.empty();
    }
    List<String> hostnames = hostnames(function, gateway);
    return Optional.of(
        new Derived(hostnames, rules(function, gateway), parentRefs(hostnames, gateway)));
  }

  /** The whole HTTPRoute object for the Function (see {@link HttpRoutes#httpRoute}). */
  public static ObjectNode httpRoute(
      JsonNode function, OfnGateway gateway, Backend backend, String apiVersion) {
    return HttpRoutes.httpRoute(function, gateway, backend, apiVersion);
  }
}
