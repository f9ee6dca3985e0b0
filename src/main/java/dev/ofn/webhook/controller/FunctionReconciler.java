package dev.ofn.webhook.controller;

import dev.ofn.webhook.cluster.ClusterResources;
import dev.ofn.webhook.controller.FunctionStatus.Reason;
import dev.ofn.webhook.controller.FunctionStatus.Verdict;
import dev.ofn.webhook.gateways.Listener;
import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.model.FunctionRoute;
import dev.ofn.webhook.model.Names;
import dev.ofn.webhook.routing.Backend;
import dev.ofn.webhook.routing.ConflictIndex;
import dev.ofn.webhook.routing.HostOwnership;
import dev.ofn.webhook.routing.HttpRoutes;
import dev.ofn.webhook.routing.OwnedKeys;
import dev.ofn.webhook.routing.Owner;
import dev.ofn.webhook.routing.Precedence;
import dev.ofn.webhook.routing.RouteAudit;
import dev.ofn.webhook.routing.RouteDerivation;
import dev.ofn.webhook.routing.RouteKeys;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Makes a Function's route real (SPEC §6, §8, §9): its HTTPRoute, its ExternalName Service, its
 * {@code status.route}/{@code status.addresses} with the {@code RouteReady} condition, an Event per
 * change of reason, and the {@code rendered-from} touch when its Gateway's templates moved on.
 *
 * <p>Strimzi style: the desired objects come from pure builders ({@link HttpRoutes}, {@link
 * ExternalNameServices}, {@link FunctionStatus}); this class only fetches (from caches), compares
 * and writes, and writes nothing when nothing changed.
 */
final class FunctionReconciler {
  static final String FUNCTION_KIND = Names.FUNCTION_KIND;
  static final String RUNNING = "Running";

  private final Cluster cluster;
  private final Caches caches;
  private final RouteKeys routeKeys;
  private final ConflictIndex index;
  private final EventRecorder events;
  private final Clock clock;
  private final String routeApiVersion;
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
      String routeApiVersion,
      HostOwnership ownership) {
    this.ownership = ownership;
    this.cluster = cluster;
    this.caches = caches;
    this.routeKeys = routeKeys;
    this.index = index;
    this.events = events;
    this.clock = clock;
    this.routeApiVersion = routeApiVersion;
  }

  Set<NamespacedName> conflicted() {
    return Set.copyOf(conflicted);
  }

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
    Optional<NamespacedName> gatewayId = FunctionRoute.gatewayRef(function);
    Optional<OfnGateway> gateway = gatewayId.flatMap(caches::ofnGateway).map(OfnGateway::from);
    if (gateway.isEmpty()) {
      // Not an error to retry: the Gateway's arrival enqueues its Functions again.
      String why =
          gatewayId
              .map(g -> "OFN Gateway " + g + " not found")
              .orElse("the route's gatewayRef lacks a name or namespace");
      report(function, new Verdict(Reason.GatewayNotFound, why), null, null);
      return;
    }
    OfnGateway gw = gateway.get();
    RouteDerivation.Derived derived = RouteDerivation.derive(function, gw).orElseThrow();
    RenderedFrom.wanted(function, gw).ifPresent(value -> touch(id, value));

    Optional<JsonNode> existing = caches.httpRoute(id);
    boolean ours = existing.isPresent() && Owned.isOurs(existing.get(), FUNCTION_KIND, id.name());
    JsonNode served = ours ? existing.get() : null;
    Verdict verdict;
    if (routeApiVersion == null) {
      verdict = new Verdict(Reason.GatewayNotFound, "the cluster serves no Gateway API HTTPRoutes");
    } else if (!derived.ok()) {
      verdict = new Verdict(Reason.GatewayTemplateInvalid, derived.problem());
    } else if (existing.isPresent() && !ours) {
      verdict =
          new Verdict(
              Reason.HTTPRouteNameTaken,
              "HTTPRoute "
                  + id
                  + " exists and is not ours (it lacks the "
                  + HttpRoutes.CREATED_BY_LABEL
                  + ": "
                  + HttpRoutes.CREATED_BY
                  + " label or has another controller)");
    } else {
      OwnedKeys keys = routeKeys.of(function);
      Optional<String> lost = Seniority.loses(keys, index, this::age);
      Optional<String> notOwned = ownership == null ? Optional.empty() : ownership.lost(keys);
      if (lost.isPresent()) {
        conflicted.add(id);
        verdict = new Verdict(Reason.RouteConflict, lost.get());
      } else if (notOwned.isPresent()) {
        // like a conflict: another namespace's route may go, so re-checked on route changes
        conflicted.add(id);
        verdict = new Verdict(Reason.HostnameNotOwned, notOwned.get());
      } else {
        conflicted.remove(id);
        BackendChoice backend = backend(function, served);
        if (backend.backend() == null) {
          verdict = new Verdict(Reason.BackendNotReady, backend.why());
        } else {
          served =
              writeRoute(
                  existing,
                  Owned.stamp(
                      HttpRoutes.httpRoute(function, gw, backend.backend(), routeApiVersion)));
          verdict = new Verdict(Reason.Accepted, "HTTPRoute " + id + " routes the Function");
        }
      }
    }
    if (!writeService(function, gw, id) && verdict.ready()) {
      verdict =
          new Verdict(
              Reason.ServiceNameTaken,
              "Service "
                  + id
                  + " exists and is not ours (it lacks the "
                  + HttpRoutes.CREATED_BY_LABEL
                  + ": "
                  + HttpRoutes.CREATED_BY
                  + " label or has another controller)");
    }
    report(function, verdict, served, gw.clusterDomain(), listeners(gw));
  }

  /** The listeners of the OFN Gateway's k8s Gateway as the cluster has it, else its own. */
  private List<Listener> listeners(OfnGateway gateway) {
    Optional<JsonNode> k8s = caches.k8sGateway(gateway.k8sGateway());
    if (k8s.isEmpty()) {
      return gateway.listeners();
    }
    List<Listener> listeners = new ArrayList<>();
    Json.at(k8s.get(), "spec", "listeners").forEach(l -> listeners.add(Listener.from(l)));
    return listeners;
  }

  /**
   * The backend, or why there is none. A Function whose serving restarts keeps its current route's.
   */
  record BackendChoice(Backend backend, String why) {}

  private BackendChoice backend(JsonNode function, JsonNode served) {
    String namespace = Json.stringOr(function, "default", "metadata", "namespace");
    String why;
    if (!RUNNING.equals(Json.stringOr(function, "", "status", "serving", "state"))) {
      why = "the Function's serving is not running";
    } else if ("keda"
        .equalsIgnoreCase(
            Json.stringOr(function, "", "spec", "serving", "triggers", "http", "engine"))) {
      return new BackendChoice(Backend.keda(), null);
    } else {
      String ksvc = Json.stringOr(function, "", "status", "serving", "service");
      Optional<JsonNode> service = caches.knativeService(new NamespacedName(namespace, ksvc));
      String revision =
          service.map(s -> Json.stringOr(s, "", "status", "latestReadyRevisionName")).orElse("");
      if (!revision.isEmpty()) {
        return new BackendChoice(Backend.knative(revision), null);
      }
      if (ksvc.isEmpty()) {
        why = "the Function's status names no Knative Service yet";
      } else if (caches.knativeServices == null) {
        why = "the cluster serves no Knative Services (serving.knative.dev/v1)";
      } else if (service.isEmpty()) {
        why = "Knative Service " + namespace + "/" + ksvc + " not found";
      } else {
        why = "Knative Service " + namespace + "/" + ksvc + " has no ready revision";
      }
    }
    return served == null
        ? new BackendChoice(null, why)
        : new BackendChoice(backendOf(served), null);
  }

  private static Backend backendOf(JsonNode route) {
    String name =
        Json.stringOr(
            Json.at(route, "spec", "rules").path(0).path("backendRefs").path(0), "", "name");
    return Backend.KEDA_INTERCEPTOR.equals(name) ? Backend.keda() : Backend.knative(name);
  }

  private JsonNode writeRoute(Optional<JsonNode> existing, ObjectNode desired) {
    if (existing.isEmpty()) {
      return cluster.create(desired);
    }
    if (Owned.upToDate(existing.get(), desired)) {
      return existing.get();
    }
    return cluster.update(Owned.forUpdate(existing.get(), desired));
  }

  /** False when a Service of that name is someone else's. */
  private boolean writeService(JsonNode function, OfnGateway gateway, NamespacedName id) {
    ObjectNode desired = Owned.stamp(ExternalNameServices.forFunction(function, gateway));
    Optional<JsonNode> existing = caches.service(id);
    if (existing.isEmpty()) {
      cluster.create(desired);
    } else if (!Owned.isOurs(existing.get(), FUNCTION_KIND, id.name())) {
      return false;
    } else if (!Owned.upToDate(existing.get(), desired)) {
      cluster.update(Owned.forUpdate(existing.get(), desired));
    }
    return true;
  }

  /** An http trigger was removed: our HTTPRoute, Service and route status go. */
  private void removeRoute(JsonNode function, NamespacedName id) {
    caches
        .httpRoute(id)
        .filter(r -> routeApiVersion != null && Owned.isOurs(r, FUNCTION_KIND, id.name()))
        .ifPresent(r -> cluster.delete(routeApiVersion, "HTTPRoute", id));
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

  private void report(JsonNode function, Verdict verdict, JsonNode served, String clusterDomain) {
    report(function, verdict, served, clusterDomain, List.of());
  }

  private void report(
      JsonNode function,
      Verdict verdict,
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
    cluster.mergePatch(ClusterResources.FUNCTIONS, FUNCTION_KIND, id, patch);
  }

  /**
   * The audit of the cached Functions and HTTPRoutes ({@link RouteAudit}): every route key claimed
   * by two owners, the older winning. For the {@code ofn_webhook_shadowed_routes} gauge.
   */
  List<RouteAudit.Shadowed> shadowed() {
    List<OwnedKeys> keys = new ArrayList<>();
    for (var informer : List.of(caches.functions, caches.httpRoutes)) {
      for (var resource : caches.all(informer)) {
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
