package dev.ofn.webhook.controller;

import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.routing.HttpRoutes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OFN Gateway made real (docs/behaviour.md §9): our listeners applied by name into its k8s
 * Gateway (server-side apply as {@value Cluster#FIELD_MANAGER}, so the Gateway's owner keeps its
 * own listeners), or that Gateway created from {@code gatewayDef}; the {@value
 * #INJECTED_ANNOTATION} annotation; the {@code gateway} ExternalName Service; the status mirrored
 * from the k8s Gateway; and on deletion (our finalizer) our listeners removed again. k8s Gateways
 * that carry our listeners while no OFN Gateway uses them any more (the OFN Gateway moved to
 * another one) are cleaned the same way.
 */
final class GatewayReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayReconciler.class);
  static final String FINALIZER = "networking.openfunction.io/finalizer";
  static final String INJECTED_ANNOTATION = "networking.openfunction.io/injected-listeners";
  static final String OFN_GATEWAYS = dev.ofn.webhook.model.Names.OFN_GATEWAY_API_VERSION;

  /** The key that asks only for the sweep of abandoned k8s Gateways. */
  static final NamespacedName SWEEP = new NamespacedName("", "");

  private final Cluster cluster;
  private final Caches caches;
  private final Clock clock;
  private final Set<NamespacedName> noTargetLogged =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  GatewayReconciler(Cluster cluster, Caches caches, Clock clock) {
    this.cluster = cluster;
    this.caches = caches;
    this.clock = clock;
  }

  void reconcile(NamespacedName id) {
    sweep();
    if (id.equals(SWEEP)) {
      return;
    }
    Optional<OfnGateway> found = caches.ofnGateway(id);
    if (found.isEmpty()) {
      return;
    }
    OfnGateway gateway = found.get();
    JsonNode tree = gateway.source();
    boolean finalized = finalizers(tree).contains(FINALIZER);
    if (!Json.absent(tree, "metadata", "deletionTimestamp")) {
      if (finalized) {
        syncK8sGateway(gateway.k8sGateway()); // without this one: its listeners go
        setFinalizer(tree, false);
      }
      return;
    }
    if (!finalized) {
      tree = setFinalizer(tree, true);
    }
    JsonNode k8s =
        caches.k8sGatewayVersion().isEmpty()
            ? null
            : syncK8sGateway(gateway.k8sGateway()).orElse(null);
    if (k8s != null) {
      writeService(tree, gateway, k8s);
    }
    writeStatus(tree, gateway, k8s);
  }

  /**
   * Brings a k8s Gateway in line with the live OFN Gateways that use it: their listeners (merged by
   * name, the first OFN Gateway by namespace/name winning a name both define) applied as one set,
   * since all are applied by one field manager; created when one of them defines it ({@code
   * gatewayDef}). With no user left, our listeners and annotation are removed, and a Gateway we
   * created is deleted. Returns the k8s Gateway as it now is, empty when it does not exist.
   */
  private Optional<JsonNode> syncK8sGateway(NamespacedName k8sId) {
    if (caches.k8sGatewayVersion().isEmpty()) {
      return Optional.empty();
    }
    Optional<JsonNode> current = caches.k8sGateway(k8sId);
    List<JsonNode> users = users(k8sId);
    if (users.isEmpty()) {
      current.ifPresent(k8s -> cleanup(k8sId, k8s));
      return Optional.empty();
    }
    JsonNode definer =
        users.stream()
            .filter(
                u ->
                    Json.at(u, "spec", "gatewayDef").isObject()
                        && !Json.at(u, "spec", "gatewayRef").isObject())
            .findFirst()
            .orElse(null);
    boolean ours = current.map(GatewayReconciler::createdByUs).orElse(definer != null);
    if (current.isEmpty() && definer == null) {
      return Optional.empty(); // referenced, not defined: NotFound in the status
    }
    ObjectNode applied = skeleton(k8sId);
    ObjectNode metadata = (ObjectNode) applied.get("metadata");
    Map<String, JsonNode> listeners = new LinkedHashMap<>();
    for (JsonNode user : users) {
      for (JsonNode listener : Json.at(user, "spec", "gatewaySpec", "listeners")) {
        String name = Json.stringOr(listener, "", "name");
        if (listener.isObject() && !name.isEmpty()) {
          listeners.putIfAbsent(name, listener.deepCopy());
        }
      }
    }
    metadata
        .putObject("annotations")
        .put(INJECTED_ANNOTATION, String.join(",", listeners.keySet()));
    ObjectNode spec = applied.putObject("spec");
    if (ours && definer != null) {
      metadata.putObject("labels").put(HttpRoutes.CREATED_BY_LABEL, HttpRoutes.CREATED_BY);
      spec.put(
          "gatewayClassName", Json.stringOr(definer, "", "spec", "gatewayDef", "gatewayClassName"));
    }
    ArrayNode items = spec.putArray("listeners");
    listeners.values().forEach(items::add);
    if (current.isPresent() && applied(current.get(), applied)) {
      return current;
    }
    return Optional.of(cluster.apply(applied));
  }

  /** The live (not deleting) OFN Gateways whose k8s Gateway is {@code k8sId}, by namespace/name. */
  private List<JsonNode> users(NamespacedName k8sId) {
    List<JsonNode> users = new ArrayList<>();
    for (OfnGateway gateway : caches.ofnGateways()) {
      if (Json.absent(gateway.source(), "metadata", "deletionTimestamp")
          && gateway.k8sGateway().equals(k8sId)) {
        users.add(gateway.source());
      }
    }
    users.sort(java.util.Comparator.comparing(u -> Caches.id(u).toString()));
    return users;
  }

  /** True when the k8s Gateway already has everything we would apply, and nothing we dropped. */
  private static boolean applied(JsonNode current, ObjectNode applied) {
    if (!Drift.covers(
            Json.at(current, "metadata", "annotations"),
            Json.at(applied, "metadata", "annotations"))
        || !Drift.covers(
            Json.at(current, "metadata", "labels"), Json.at(applied, "metadata", "labels"))
        || !Drift.covers(
            Json.at(current, "spec", "gatewayClassName"),
            Json.at(applied, "spec", "gatewayClassName"))) {
      return false;
    }
    Map<String, JsonNode> present = byName(Json.at(current, "spec", "listeners"));
    Map<String, JsonNode> ours = byName(Json.at(applied, "spec", "listeners"));
    for (Map.Entry<String, JsonNode> listener : ours.entrySet()) {
      if (!Drift.covers(present.get(listener.getKey()), listener.getValue())) {
        return false;
      }
    }
    return true;
  }

  /**
   * No OFN Gateway uses it any more: a Gateway we created goes; otherwise our listeners and
   * annotation do.
   */
  private void cleanup(NamespacedName k8sId, JsonNode current) {
    if (createdByUs(current)) {
      caches.k8sGatewayVersion().ifPresent(version -> cluster.delete(version, "Gateway", k8sId));
      LOG.info("deleted k8s Gateway {}: no OFN Gateway defines it any more", k8sId);
    } else if (!Json.absent(current, "metadata", "annotations", INJECTED_ANNOTATION)) {
      // Applying nothing: server-side apply removes every field only we own (our listeners, the
      // annotation).
      cluster.apply(skeleton(k8sId));
      LOG.info("removed our listeners from k8s Gateway {}: no OFN Gateway uses it any more", k8sId);
    }
  }

  private static boolean createdByUs(JsonNode k8sGateway) {
    return HttpRoutes.CREATED_BY.equals(
        Json.stringOr(k8sGateway, "", "metadata", "labels", HttpRoutes.CREATED_BY_LABEL));
  }

  /**
   * Every k8s Gateway that carries our listeners is brought in line with its current users: one no
   * OFN Gateway uses any more is cleaned, one an OFN Gateway moved away from loses that one's
   * listeners.
   */
  private void sweep() {
    if (caches.k8sGatewayVersion().isEmpty()) {
      return;
    }
    for (GenericKubernetesResource resource : caches.k8sGateways.list()) {
      var annotations = resource.getMetadata().getAnnotations();
      if (annotations != null && annotations.containsKey(INJECTED_ANNOTATION)) {
        syncK8sGateway(Caches.id(resource));
      }
    }
  }

  private void writeService(JsonNode tree, OfnGateway gateway, JsonNode k8sGateway) {
    NamespacedName id =
        new NamespacedName(gateway.id().namespace(), ExternalNameServices.GATEWAY_SERVICE);
    Optional<String> target =
        ExternalNameServices.gatewayTarget(
            k8sGateway, gateway.clusterDomain(), service -> caches.service(service).isPresent());
    if (target.isEmpty()) {
      if (noTargetLogged.add(gateway.id())) {
        LOG.info(
            "OFN Gateway {}: k8s Gateway {} has no hostname address and no envoy Service yet; "
                + "Service {} not written",
            gateway.id(),
            gateway.k8sGateway(),
            id);
      }
      return;
    }
    noTargetLogged.remove(gateway.id());
    ObjectNode desired = Owned.stamp(ExternalNameServices.forGateway(tree, gateway, target.get()));
    if (Owned.apply(cluster, caches.service(id), desired).outcome() == Owned.Outcome.REFUSED) {
      LOG.debug("Service {} is not ours: left alone", id);
    }
  }

  private void writeStatus(JsonNode tree, OfnGateway gateway, JsonNode k8sGateway) {
    JsonNode previous = Json.at(tree, "status");
    ObjectNode desired = OfnGatewayStatus.desired(gateway, k8sGateway, previous, clock.instant());
    boolean same = true;
    for (String field : List.of("conditions", "listeners", "addresses")) {
      same &= Drift.same(previous.path(field), desired.path(field));
    }
    if (!same) {
      ObjectNode updated = (ObjectNode) tree.deepCopy();
      updated.set("status", desired);
      cluster.updateStatus(updated);
    }
  }

  /** Adds or removes our finalizer with an optimistic update; returns the stored object. */
  private JsonNode setFinalizer(JsonNode tree, boolean present) {
    ObjectNode updated = (ObjectNode) tree.deepCopy();
    ArrayNode finalizers = Json.array();
    for (String finalizer : finalizers(tree)) {
      if (!finalizer.equals(FINALIZER)) {
        finalizers.add(finalizer);
      }
    }
    if (present) {
      finalizers.add(FINALIZER);
    }
    ObjectNode metadata = (ObjectNode) updated.get("metadata");
    metadata.set("finalizers", finalizers);
    metadata.remove("managedFields");
    updated.remove("status");
    return cluster.update(updated);
  }

  private static List<String> finalizers(JsonNode tree) {
    List<String> finalizers = new ArrayList<>();
    Json.at(tree, "metadata", "finalizers").forEach(f -> finalizers.add(f.asString()));
    return finalizers;
  }

  private ObjectNode skeleton(NamespacedName k8sGateway) {
    ObjectNode applied =
        Json.object()
            .put("apiVersion", caches.k8sGatewayVersion().orElseThrow())
            .put("kind", "Gateway");
    applied
        .putObject("metadata")
        .put("name", k8sGateway.name())
        .put("namespace", k8sGateway.namespace());
    return applied;
  }

  private static Map<String, JsonNode> byName(JsonNode listeners) {
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    listeners.forEach(l -> byName.put(Json.stringOr(l, "", "name"), l));
    return byName;
  }
}
