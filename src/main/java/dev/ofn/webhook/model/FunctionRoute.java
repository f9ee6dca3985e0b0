package dev.ofn.webhook.model;

import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.model.Templates.TemplateException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one model of a Function's route: which OFN Gateway it uses, which of its fields the webhook
 * generated, and how those fields render from the gateway. The defaulter, the gateway validator's
 * rendered-output checks, the route derivation, the route keys and the controller's re-render
 * decision all call these functions, so they cannot disagree. Pure.
 */
public final class FunctionRoute {
  public static final String HOSTNAMES = "hostnames";
  public static final String RULES = "rules";
  private static final String[] PATH = {"spec", "serving", "triggers", "http", "route"};

  private FunctionRoute() {}

  /** A freshly rendered field value, or (value null) why it could not be rendered. */
  public record Rendering(JsonNode value, String problem) {
    public boolean ok() {
      return value != null;
    }
  }

  /** Only Functions with {@code spec.serving.triggers.http} get a route. */
  public static boolean hasRoute(JsonNode function) {
    return Json.at(function, "spec", "serving", "triggers", "http").isObject();
  }

  /** The route object ({@code spec.serving.triggers.http.route}); missing when absent. */
  public static JsonNode route(JsonNode function) {
    return Json.at(function, PATH);
  }

  /**
   * The OFN Gateway the Function's route uses, as OpenFunction's defaulting leaves it: the route's
   * {@code gatewayRef}, else {@link Names#DEFAULT_GATEWAY}. Works on a received (not yet defaulted)
   * and on a stored object alike. Empty when the Function gets no route (no {@code spec.serving};
   * dapr triggers and no http trigger; parts of the wrong type) or when the ref lacks a name or a
   * namespace (the CRD requires both; validation refuses such a ref).
   */
  public static Optional<NamespacedName> gatewayRef(JsonNode function) {
    JsonNode serving = Json.at(function, "spec", "serving");
    if (!serving.isObject()) {
      return Optional.empty();
    }
    JsonNode triggers = serving.get("triggers");
    if (unset(triggers)) {
      triggers = Json.object();
    }
    if (!triggers.isObject()) {
      return Optional.empty();
    }
    JsonNode dapr = triggers.get("dapr");
    JsonNode http = triggers.get("http");
    boolean httpDefaulted = unset(dapr) || dapr.isArray() && dapr.isEmpty();
    if (unset(http) && httpDefaulted) {
      return Optional.of(Names.DEFAULT_GATEWAY); // parity creates the http trigger and its route
    }
    if (http == null || !http.isObject()) {
      return Optional.empty();
    }
    JsonNode route = http.get("route");
    if (unset(route)) {
      return Optional.of(Names.DEFAULT_GATEWAY);
    }
    if (!route.isObject()) {
      return Optional.empty();
    }
    JsonNode ref = route.get("gatewayRef");
    if (unset(ref)) {
      return Optional.of(Names.DEFAULT_GATEWAY);
    }
    String name = Json.stringOr(ref, "", "name");
    String namespace = Json.stringOr(ref, "", "namespace");
    return name.isEmpty() || namespace.isEmpty()
        ? Optional.empty()
        : Optional.of(new NamespacedName(namespace, name));
  }

  /** The fields listed in the generated-route annotation, in canonical order; others ignored. */
  public static Set<String> generatedFields(JsonNode function) {
    Set<String> listed = new LinkedHashSet<>();
    Optional<String> value =
        Json.string(function, "metadata", "annotations", Names.GENERATED_ROUTE_ANNOTATION);
    if (value.isPresent()) {
      Set<String> parts = new LinkedHashSet<>();
      for (String part : value.get().split(",")) {
        parts.add(part.trim());
      }
      for (String field : new String[] {HOSTNAMES, RULES}) {
        if (parts.contains(field)) {
          listed.add(field);
        }
      }
    }
    return listed;
  }

  /** The annotation value for {@code fields}; empty when none (the annotation is then removed). */
  public static Optional<String> generatedAnnotation(Collection<String> fields) {
    return fields.isEmpty() ? Optional.empty() : Optional.of(String.join(",", fields));
  }

  /**
   * True when the stored field comes from the gateway: listed as generated, or absent / empty (the
   * mutating webhook was skipped, or the value was dropped).
   */
  public static boolean isGenerated(JsonNode function, String field) {
    JsonNode value = route(function).path(field);
    return !value.isArray() || value.isEmpty() || generatedFields(function).contains(field);
  }

  /** {@code [render(hostTemplate, {Name, Namespace, Domain})]}. */
  public static Rendering hostnames(OfnGateway gateway, String name, String namespace) {
    Optional<String> host = renderHost(gateway.hostTemplate(), name, namespace, gateway.domain());
    if (host.isEmpty() || host.get().isEmpty()) {
      return unusable(gateway, "hostTemplate", HOSTNAMES);
    }
    ArrayNode hostnames = Json.array();
    hostnames.add(host.get());
    return new Rendering(hostnames, null);
  }

  /**
   * One {@code PathPrefix} rule: {@code /} when the hostnames are the gateway's (the host alone
   * then identifies the function), else the rendered path template.
   */
  public static Rendering rules(
      OfnGateway gateway, String name, String namespace, boolean hostnamesGenerated) {
    String path = "/";
    if (!hostnamesGenerated) {
      Optional<String> rendered = renderPath(gateway.pathTemplate(), name, namespace);
      if (rendered.isEmpty()) {
        return unusable(gateway, "pathTemplate", RULES);
      }
      path = rendered.get();
    }
    ArrayNode rules = Json.array();
    ObjectNode match = rules.addObject().putArray("matches").addObject();
    match.putObject("path").put("type", "PathPrefix").put("value", path);
    return new Rendering(rules, null);
  }

  /** A stored Function's external hostnames, and whether they are the gateway's. */
  public record Hostnames(List<String> names, boolean generated) {}

  /**
   * The external hostnames of a stored Function's route, as the defaulter leaves them: the user's
   * own; else freshly rendered; else (the host template cannot be rendered) the stored generated
   * ones, kept until the gateway is fixed; else none, and then they are not the gateway's.
   */
  public static Hostnames hostnamesOf(JsonNode function, OfnGateway gateway) {
    JsonNode stored = route(function).path(HOSTNAMES);
    boolean generated = isGenerated(function, HOSTNAMES);
    if (generated) {
      Rendering fresh = hostnames(gateway, nameOf(function), namespaceOf(function));
      if (fresh.ok()) {
        return new Hostnames(strings(fresh.value()), true);
      }
    }
    List<String> names = strings(stored);
    return new Hostnames(names, !names.isEmpty() && generated);
  }

  /**
   * The rules of a stored Function's route: its own, or the generated ones rendered afresh; {@code
   * hostnamesGenerated} is {@link #hostnamesOf}'s answer for the same Function and gateway.
   */
  public static Rendering rulesOf(
      JsonNode function, OfnGateway gateway, boolean hostnamesGenerated) {
    if (!isGenerated(function, RULES)) {
      return new Rendering(route(function).path(RULES).deepCopy(), null);
    }
    return rules(gateway, nameOf(function), namespaceOf(function), hostnamesGenerated);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode item : array.isArray() ? array : Json.array()) {
      if (item.isString()) {
        out.add(item.stringValue());
      }
    }
    return out;
  }

  private static String nameOf(JsonNode function) {
    return Json.stringOr(function, "", "metadata", "name");
  }

  private static String namespaceOf(JsonNode function) {
    return Json.stringOr(function, "default", "metadata", "namespace");
  }

  /** The host template a gateway renders with: an empty one is the default, as in OpenFunction. */
  public static String effectiveHostTemplate(String template) {
    return template.isEmpty() ? OfnGateway.DEFAULT_HOST_TEMPLATE : template;
  }

  /** The host template rendered; empty when it is not a template we support. */
  public static Optional<String> renderHost(
      String template, String name, String namespace, String domain) {
    return render(
        effectiveHostTemplate(template),
        Names.HOST_FIELDS,
        Map.of("Name", name, "Namespace", namespace, "Domain", domain));
  }

  /**
   * The path template rendered, with a leading {@code /} added only when it has none, as
   * OpenFunction's controller does ({@code /{{.Namespace}}/{{.Name}}} gives no {@code //}).
   */
  public static Optional<String> renderPath(String template, String name, String namespace) {
    return render(template, Names.PATH_FIELDS, Map.of("Name", name, "Namespace", namespace))
        .map(path -> path.startsWith("/") ? path : "/" + path);
  }

  private static Optional<String> render(
      String template, Set<String> fields, Map<String, String> values) {
    try {
      return Optional.of(Templates.parse(template, fields).render(values));
    } catch (TemplateException e) {
      return Optional.empty();
    }
  }

  private static Rendering unusable(OfnGateway gateway, String template, String field) {
    return new Rendering(
        null,
        Warnings.clip(
            "gateway "
                + gateway.id()
                + " has an unusable "
                + template
                + ": route "
                + field
                + " not generated"));
  }

  private static boolean unset(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }
}
