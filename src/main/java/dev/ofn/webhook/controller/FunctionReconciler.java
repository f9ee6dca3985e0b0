package dev.ofn.webhook.controller;

import dev.ofn.webhook.controller.FunctionStatus.RouteReadiness;
import dev.ofn.webhook.gateways.Listener;
import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.model.FunctionBackends;
import dev.ofn.webhook.model.FunctionRoute;
import dev.ofn.webhook.model.Names;
import dev.ofn.webhook.routing.ConflictIndex;
import dev.ofn.webhook.routing.HostOwnership;
import dev.ofn.webhook.routing.OwnedKeys;
import dev.ofn.webhook.routing.Owner;
import dev.ofn.webhook.routing.Precedence;
import dev.ofn.webhook.routing.RouteAudit;
import dev.ofn.webhook.routing.RouteKeys;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Makes a Function's route real (docs/behaviour.md §6, §8, §9): its HTTPRoute, its ExternalName
 * Service, its {@code status.route}/{@code status.addresses} with the {@code RouteReady} condition,
 * an Event per change of reason, and the {@code rendered-from} touch when its Gateway's templates
 * moved on.
 *
 * <p>Read top-down: {@link #reconcile} gathers the inputs (from caches), {@link
 * FunctionRouteDecision#decide} decides (pure), and the HTTPRoute and Service are applied through
 * {@link Owned#apply}, which writes nothing when nothing changed.
 */
final class FunctionReconciler {
  static final String FUNCTION_KIND = Names.FUNCTION_KIND;

  private final Cluster cluster;
  private final Caches caches;
  private final RouteKeys routeKeys;
  private final ConflictIndex index;
  private final EventRecorder events;
  private final Clock clock;
  private final HostOwnership ownership;

  /**
   * Functions that lost a conflict: any route change may free them, so they are re-checked then.
   */
  private final Set<NamespacedName> conflicted = ConcurrentHashMap.newKeySet();

  FunctionReconciler(
      Cluster cluster,
      Caches caches,
      RouteKeys routeKeys,
      ConflictIndex index,
      EventRecorder events,
      Clock clock,
      HostOwnership ownership) {
    this.ownership = ownership;
    this.cluster = cluster;
    this.caches = caches;
    this.routeKeys = routeKeys;
    this.index = index;
    this.events = events;
    this.clock = clock;
  }

  Set<NamespacedName> conflicted() {
    return Set.copyOf(conflicted);
  }

  /** Gathers the Function's inputs from the caches, decides (pure), then applies. */
  void reconcile(NamespacedName id) {
    Optional<JsonNode> found = caches.function(id);
    if (found.isEmpty()) {
      conflicted.remove(id); // deleted: the HTTPRoute and Service go with it (owner references)
      return;
    }
    JsonNode function = found.get();
    if (!Json.absent(function, "metadata", "deletionTimestamp")) {
      return;
    }
    if (!FunctionRoute.hasRoute(function)) {
      conflicted.remove(id);
      removeRoute(function, id);
      return;
    }
    FunctionRouteDecision.Inputs inputs = gather(function, id);
    apply(id, function, inputs, FunctionRouteDecision.decide(inputs));
  }

  /** Everything the decision reads, from the caches (and a live GET for a Service not ours). */
  private FunctionRouteDecision.Inputs gather(JsonNode function, NamespacedName id) {
    Optional<NamespacedName> gatewayId = FunctionRoute.gatewayRef(function);
    Optional<OfnGateway> gateway = gatewayId.flatMap(caches::ofnGateway);
    Map<String, JsonNode> functions = new HashMap<>();
    for (String name : FunctionBackends.referenced(function)) {
      if (!name.equals(id.name())) {
        caches
            .function(new NamespacedName(id.namespace(), name))
            .ifPresent(f -> functions.put(name, f));
      }
    }
    Map<NamespacedName, JsonNode> knative = new HashMap<>();
    List<JsonNode> served = new ArrayList<>(functions.values());
    served.add(function);
    for (JsonNode f : served) {
      FunctionRouteDecision.knativeServiceOf(f)
          .ifPresent(ksvc -> caches.knativeService(ksvc).ifPresent(s -> knative.put(ksvc, s)));
    }
    Set<String> knativeNames = new HashSet<>();
    caches
        .knativeServices
        .inNamespace(id.namespace())
        .forEach(s -> knativeNames.add(s.getMetadata().getName()));
    boolean gatewayKnown = gateway.isPresent();
    OwnedKeys keys = gatewayKnown ? routeKeys.of(function) : null;
    return new FunctionRouteDecision.Inputs(
        function,
        gatewayId,
        gateway,
        caches.httpRouteVersion().orElse(null),
        caches.httpRoute(id),
        gatewayKnown ? caches.service(id) : Optional.empty(),
        gatewayKnown ? Seniority.loses(keys, index, this::age) : Optional.empty(),
        gatewayKnown && ownership != null ? ownership.lost(keys) : Optional.empty(),
        functions,
        knative,
        knativeNames,
        caches.knativeServices.served());
  }

  private void apply(
      NamespacedName id,
      JsonNode function,
      FunctionRouteDecision.Inputs inputs,
      FunctionRouteDecision.Decision decision) {
    decision.renderedFrom().ifPresent(value -> touch(id, value));
    switch (decision.conflict()) {
      case LOST -> conflicted.add(id);
      case CLEAR -> conflicted.remove(id);
      case UNCHECKED -> {}
    }
    JsonNode served =
        decision.route() == null
            ? decision.keptRoute()
            : Owned.apply(cluster, inputs.existingRoute(), decision.route()).stored();
    if (decision.service() != null) {
      Owned.apply(cluster, inputs.existingService(), decision.service());
    }
    report(
        function,
        decision.verdict(),
        served,
        decision.clusterDomain(),
        inputs.gateway().map(this::listeners).orElse(List.of()));
  }

  /** The listeners of the OFN Gateway's k8s Gateway as the cluster has it, else its own. */
  private List<Listener> listeners(OfnGateway gateway) {
    return caches.k8sGatewayListeners(gateway.k8sGateway()).orElse(gateway.listeners());
  }

  /** An http trigger was removed: our HTTPRoute, Service and route status go. */
  private void removeRoute(JsonNode function, NamespacedName id) {
    caches
        .httpRoute(id)
        .filter(r -> Owned.isOurs(r, FUNCTION_KIND, id.name()))
        .ifPresent(
            r ->
                caches
                    .httpRouteVersion()
                    .ifPresent(version -> cluster.delete(version, "HTTPRoute", id)));
    caches
        .service(id)
        .filter(s -> Owned.isOurs(s, FUNCTION_KIND, id.name()))
        .ifPresent(s -> cluster.delete("v1", "Service", id));
    JsonNode status = Json.at(function, "status");
    if (status.has("route") || status.has("addresses")) {
      ObjectNode updated = (ObjectNode) function.deepCopy();
      ObjectNode newStatus = (ObjectNode) updated.get("status");
      newStatus.remove("route");
      newStatus.remove("addresses");
      cluster.updateStatus(updated);
    }
  }

  private void report(
      JsonNode function,
      RouteReadiness verdict,
      JsonNode served,
      String clusterDomain,
      List<Listener> listeners) {
    JsonNode status = Json.at(function, "status");
    long generation = Json.at(function, "metadata", "generation").asLong(0);
    ObjectNode desired =
        FunctionStatus.desired(
            verdict, status, generation, clock.instant(), served, clusterDomain, listeners);
    String previousReason = FunctionStatus.currentReason(status);
    if (Drift.same(status.path("route"), desired.path("route"))
        && Drift.same(status.path("addresses"), desired.path("addresses"))) {
      return;
    }
    ObjectNode updated = (ObjectNode) function.deepCopy();
    ObjectNode newStatus = Json.objectAt(updated, "status");
    newStatus.set("route", desired.get("route"));
    if (desired.has("addresses")) {
      newStatus.set("addresses", desired.get("addresses"));
    } else {
      newStatus.remove("addresses");
    }
    cluster.updateStatus(updated);
    if (!verdict.reason().name().equals(previousReason)) {
      events.record(function, !verdict.ready(), verdict.reason().name(), verdict.message());
    }
  }

  private void touch(NamespacedName id, String value) {
    ObjectNode patch = Json.object();
    patch.putObject("metadata").putObject("annotations").put(RenderedFrom.ANNOTATION, value);
    cluster.mergePatch(dev.ofn.webhook.model.Names.FUNCTION_API_VERSION, FUNCTION_KIND, id, patch);
  }

  /**
   * The audit of the cached Functions, HTTPRoutes and GRPCRoutes ({@link RouteAudit}): every route
   * key claimed by two owners, the older winning. For the {@code ofn_webhook_shadowed_routes}
   * gauge.
   */
  List<RouteAudit.Shadowed> shadowed() {
    List<OwnedKeys> keys = new ArrayList<>();
    for (var watch : List.of(caches.functions, caches.httpRoutes, caches.grpcRoutes)) {
      for (var resource : watch.list()) {
        try {
          keys.add(routeKeys.of(caches.tree(resource)));
        } catch (RuntimeException e) {
          // an object whose routes cannot be read claims none, as in the conflict index
        }
      }
    }
    return RouteAudit.shadowed(keys, this::age);
  }

  /**
   * Gateway API age of a route owner: an HTTPRoute's creationTimestamp; a Function's HTTPRoute's,
   * or the Function's own while it has none. Empty when the owner is gone.
   */
  private Optional<Precedence> age(Owner owner) {
    NamespacedName id = owner.name();
    Optional<JsonNode> route = caches.httpRoute(id);
    if (owner.kind() == Owner.Kind.HTTP_ROUTE) {
      return route.map(r -> new Precedence(created(r), id.toString()));
    }
    if (owner.kind() == Owner.Kind.GRPC_ROUTE) {
      return caches.grpcRoute(id).map(r -> new Precedence(created(r), id.toString()));
    }
    Optional<JsonNode> function = caches.function(id);
    if (function.isEmpty()) {
      return Optional.empty();
    }
    JsonNode dated = route.filter(r -> Owner.attributed(r).equals(owner)).orElse(function.get());
    return Optional.of(new Precedence(created(dated), id.toString()));
  }

  private static Instant created(JsonNode object) {
    try {
      return Instant.parse(Json.stringOr(object, "", "metadata", "creationTimestamp"));
    } catch (DateTimeParseException e) {
      return Instant.MAX; // not stored yet: younger than anything stored
    }
  }
}
