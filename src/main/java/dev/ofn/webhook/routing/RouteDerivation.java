package dev.ofn.webhook.routing;

import dev.ofn.webhook.gateways.Listener;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.model.FunctionRoute;
import dev.ofn.webhook.model.Names;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The route a Function gets (docs/behaviour.md §6): pure functions of the Function tree and its OFN
 * Gateway, shared by the controller (which writes it), the conflict keys (which police it) and the
 * status (addresses).
 */
public final class RouteDerivation {
  private RouteDerivation() {}

  /**
   * The derived route's spec parts; {@code rules} still carry the Function's own backendRefs.
   * {@code problem}: why the rules could not be rendered (then {@code rules} is null and no
   * HTTPRoute is written: a gateway stored before our webhook with a template we cannot render).
   */
  public record Derived(
      List<String> hostnames,
      FunctionRoute.Hostnames external,
      ArrayNode rules,
      ArrayNode parentRefs,
      String problem) {
    public boolean ok() {
      return problem == null;
    }
  }

  /**
   * {@code <name>.<namespace>.svc.<clusterDomain>}: how the Function is reached inside the cluster.
   */
  public static String internalHost(String name, String namespace, OfnGateway gateway) {
    return name + "." + namespace + ".svc." + gateway.clusterDomain();
  }

  /** The derived route's hostnames: the Function's or the rendered one, then the internal host. */
  public static List<String> hostnames(JsonNode function, OfnGateway gateway) {
    return withInternalHost(function, gateway, FunctionRoute.hostnamesOf(function, gateway));
  }

  private static List<String> withInternalHost(
      JsonNode function, OfnGateway gateway, FunctionRoute.Hostnames external) {
    String name = Json.stringOr(function, "", "metadata", "name");
    String namespace = Owner.namespaceOf(function);
    List<String> hostnames = new ArrayList<>();
    external.names().stream().filter(host -> !host.isEmpty()).forEach(hostnames::add);
    String internal = internalHost(name, namespace, gateway);
    if (!hostnames.contains(internal)) {
      hostnames.add(internal);
    }
    return List.copyOf(hostnames);
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
        .put("group", Names.GATEWAY_API_GROUP)
        .put("kind", Names.GATEWAY_KIND)
        .put("namespace", gateway.k8sGateway().namespace())
        .put("name", gateway.k8sGateway().name());
  }

  /** Hostnames, rules and parentRefs of the Function's route; empty when it has no route. */
  public static Optional<Derived> derive(JsonNode function, OfnGateway gateway) {
    if (!FunctionRoute.hasRoute(function)) {
      return Optional.empty();
    }
    FunctionRoute.Hostnames external = FunctionRoute.hostnamesOf(function, gateway);
    List<String> hostnames = withInternalHost(function, gateway, external);
    FunctionRoute.Rendering rules = FunctionRoute.rulesOf(function, gateway, external.generated());
    return Optional.of(
        new Derived(
            hostnames,
            external,
            rules.ok() ? (ArrayNode) rules.value() : null,
            parentRefs(hostnames, gateway),
            rules.problem()));
  }

  /** The whole HTTPRoute object for the Function (see {@link HttpRoutes#httpRoute}). */
  public static ObjectNode httpRoute(
      JsonNode function, OfnGateway gateway, Backend backend, String apiVersion) {
    return HttpRoutes.httpRoute(function, gateway, backend, apiVersion);
  }
}
