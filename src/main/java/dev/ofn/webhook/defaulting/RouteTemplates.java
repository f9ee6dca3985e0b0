package dev.ofn.webhook.defaulting;

import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.routing.Templates;
import dev.ofn.webhook.routing.Templates.TemplateException;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The route fields a Function gets from its OFN Gateway (SPEC §4 steps 4–5), as Function spec
 * trees. Public so that route derivation (§6) renders "generated" fields exactly as the defaulter
 * does.
 */
public final class RouteTemplates {
  public static final Set<String> HOST_FIELDS = Set.of("Name", "Namespace", "Domain");
  public static final Set<String> PATH_FIELDS = Set.of("Name", "Namespace");

  private RouteTemplates() {}

  /** A freshly built field value, or (value null) the reason it could not be built. */
  public record Rendering(JsonNode value, String problem) {
    public boolean ok() {
      return value != null;
    }
  }

  /** {@code [render(hostTemplate, {Name, Namespace, Domain})]}. */
  public static Rendering hostnames(OfnGateway gateway, String name, String namespace) {
    try {
      String host =
          Templates.parse(gateway.hostTemplate(), HOST_FIELDS)
              .render(Map.of("Name", name, "Namespace", namespace, "Domain", gateway.domain()));
      ArrayNode hostnames = Json.array();
      hostnames.add(host);
      return new Rendering(hostnames, null);
    } catch (TemplateException | RuntimeException e) {
      return failed(gateway, "hostTemplate", "hostnames");
    }
  }

  /**
   * One {@code PathPrefix} rule: {@code /} when the hostnames are generated (the host alone then
   * identifies the function), else {@code /} + render(pathTemplate). Like OpenFunction's
   * controller, the slash is only added when the rendered path lacks one, so {@code /{{.Name}}}
   * gives no {@code //}.
   */
  public static Rendering rules(
      OfnGateway gateway, String name, String namespace, boolean hostnamesGenerated) {
    String path = "/";
    if (!hostnamesGenerated) {
      try {
        String rendered =
            Templates.parse(gateway.pathTemplate(), PATH_FIELDS)
                .render(Map.of("Name", name, "Namespace", namespace));
        path = rendered.startsWith("/") ? rendered : "/" + rendered;
      } catch (TemplateException | RuntimeException e) {
        return failed(gateway, "pathTemplate", "rules");
      }
    }
    ArrayNode rules = Json.array();
    ObjectNode match = rules.addObject().putArray("matches").addObject();
    ObjectNode pathMatch = match.putObject("path");
    pathMatch.put("type", "PathPrefix");
    pathMatch.put("value", path);
    return new Rendering(rules, null);
  }

  private static Rendering failed(OfnGateway gateway, String template, String field) {
    return new Rendering(
        null,
        Trees.clip(
            "gateway "
                + gateway.id()
                + " has an unusable "
                + template
                + ": route "
                + field
                + " not generated"));
  }
}
