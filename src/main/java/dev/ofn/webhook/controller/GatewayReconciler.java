package dev.ofn.webhook.controller;

import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.routing.HttpRoutes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
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
 * An OFN Gateway made real (SPEC §9): our listeners applied by name into its k8s Gateway (server-side
 * apply as {@value Cluster#FIELD_MANAGER}, so the Gateway's owner keeps its own listeners), or that
 * Gateway created from {@code gatewayDef}; the {@value #INJECTED_ANNOTATION} annotation; the
 * {@code gateway} ExternalName Service; the status mirrored from the k8s Gateway; and on deletion (our
 * finalizer) our listeners removed again. k8s Gateways that carry our listeners while no OFN Gateway
 * uses them any more (the OFN Gateway moved to another one) are cleaned the same way.
 */
final class GatewayReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayReconciler.class);
  static final String FINALIZER = "networking.openfunction.io/finalizer";
  static final String INJECTED_ANNOTATION = "networking.openfunction.io/injected-listeners";
  static final String OFN_GATEWAYS = dev.ofn.webhook.gateways.ClusterResources.OFN_GATEWAYS;
  /** The key that asks only for the sweep of abandoned k8s Gateways. */
  static final NamespacedName SWEEP = new NamespacedName("", "");

  private final Cluster cluster;
  private final Caches caches;
  private final Clock clock;
  private final String gatewayApiVersion;
  private final Set<NamespacedName> noTargetLogged = java.util.concurrent.ConcurrentHashMap.newKeySet();

  GatewayReconciler(Cluster cluster, Caches caches, Clock clock, String gatewayApiVersion) {
    this.cluster = cluster;
    this.caches = caches;
    this.clock = clock;
    this.gatewayApiVersion = gatewayApiVersion;
  }

  void reconcile(NamespacedName id) {
    sweep();
    if (id.equals(SWEEP)) {
      return;
    }
    Optional<JsonNode> found = caches.ofnGateway(id);
    if (found.isEmpty()) {
      return;
    }
    JsonNode tree = found.get();
    OfnGateway gateway = OfnGateway.from(tree);
    boolean finalized = finalizers(tree).contains(FINALIZER);
    if (!Json.absent(tree, "metadata", "deletionTimestamp")) {
      if (finalized) {
        cleanup(gateway.k8sGateway());
        setFinalizer(tree, false);
      }
      return;
    }
    if (!finalized) {
      tree = setFinalizer(tree, true);
    }
    if (gatewayApiVersion == null) {
      writeStatus(tree, gateway, null);
      return;
    }
    Optional<JsonNode> k8s = caches.k8sGateway(gateway.k8sGateway());
    boolean defined = Json.at(tree, "spec", "gatewayDef").isObject() && !Json.at(tree, "spec", "gatewayRef").isObject();
    if (k8s.isEmpty() && !defined) {
      writeStatus(tree, gateway, null);
      return;
    }
    ObjectNode applied = desiredApply(tree, gateway, defined);
    JsonNode current = k8s.orElse(null);
    if (current == null || !applied(current, applied)) {
      current = cluster.apply(applied);
    }
    writeService(tree, gateway, current);
    writeStatus(tree, gateway, current);
  }

  /**
   * What we apply: our listener entries (as written in the OFN Gateway) and the annotation naming them;
   * for a {@code gatewayDef} Gateway also its class and our created-by label (we own it whole).
   */
  private ObjectNode desiredApply(JsonNode tree, OfnGateway gateway, boolean defined) {
    ObjectNode applied = skeleton(gateway.k8sGateway());
    ObjectNode metadata = (ObjectNode) applied.get("metadata");
    List<String> names = new ArrayList<>();
    ArrayNode listeners = Json.array();
    for (JsonNode listener : Json.at(tree, "spec", "gatewaySpec", "listeners")) {
      if (listener.isObject() && !Json.stringOr(listener, "", "name").isEmpty()) {
        listeners.add(listener.deepCopy());
        names.add(Json.stringOr(listener, "", "name"));
      }
    }
    metadata.putObject("annotations").put(INJECTED_ANNOTATION, String.join(",", names));
    ObjectNode spec = applied.putObject("spec");
    if (defined) {
      metadata.putObject("labels").put(HttpRoutes.CREATED_BY_LABEL, HttpRoutes.CREATED_BY);
      spec.put("gatewayClassName", Json.stringOr(tree, "", "spec", "gatewayDef", "gatewayClassName"));
    }
    spec.set("listeners", listeners);
    return applied;
  }

  /** True when the k8s Gateway already has everything we would apply, and nothing we dropped. */
  private static boolean applied(JsonNode current, ObjectNode applied) {
    if (!Drift.covers(Json.at(current, "metadata", "annotations"), Json.at(applied, "metadata", "annotations"))
        || !Drift.covers(Json.at(current, "metadata", "labels"), Json.at(applied, "metadata", "labels"))
        || !Drift.covers(Json.at(current, "spec", "gatewayClassName"), Json.at(applied, "spec", "gatewayClassName"))) {
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

  /** Our listeners and annotation out of a k8s Gateway; a Gateway we created from gatewayDef is deleted. */
  private void cleanup(NamespacedName k8sGateway) {
    if (gatewayApiVersion == null) {
      return;
    }
    Optional<JsonNode> current = caches.k8sGateway(k8sGateway);
    if (current.isEmpty()) {
      return;
    }
    if (HttpRoutes.CREATED_BY.equals(Json.stringOr(current.get(), "", "metadata", "labels", HttpRoutes.CREATED_BY_LABEL))) {
      cluster.delete(gatewayApiVersion, "Gateway", k8sGateway);
    } else if (!Json.absent(current.get(), "metadata", "annotations", INJECTED_ANNOTATION)) {
      // Applying nothing: server-side apply removes every field only we own (our listeners, the annotation).
      cluster.apply(skeleton(k8sGateway));
    }
    LOG.info("removed our listeners from k8s Gateway {}", k8sGateway);
  }

  /** k8s Gateways with our listeners that no live OFN Gateway uses any more. */
  private void sweep() {
    Set<NamespacedName> used = new HashSet<>();
    for (GenericKubernetesResource resource : caches.all(caches.ofnGateways)) {
      if (resource.getMetadata().getDeletionTimestamp() == null) {
        used.add(OfnGateway.from(caches.tree(resource)).k8sGateway());
      }
    }
    for (GenericKubernetesResource resource : caches.all(caches.k8sGateways)) {
      var annotations = resource.getMetadata().getAnnotations();
      NamespacedName k8sId = Caches.id(resource);
      if (annotations != null && annotations.containsKey(INJECTED_ANNOTATION) && !used.contains(k8sId)) {
        cleanup(k8sId);
      }
    }
  }

  private void writeService(JsonNode tree, OfnGateway gateway, JsonNode k8sGateway) {
    NamespacedName id = new NamespacedName(gateway.id().namespace(), ExternalNameServices.GATEWAY_SERVICE);
    Optional<String> target = ExternalNameServices.gatewayTarget(k8sGateway, gateway.clusterDomain(),
        service -> caches.service(service).isPresent());
    if (target.isEmpty()) {
      if (noTargetLogged.add(gateway.id())) {
        LOG.info("OFN Gateway {}: k8s Gateway {} has no hostname address and no envoy Service yet; "
            + "Service {} not written", gateway.id(), gateway.k8sGateway(), id);
      }
      return;
    }
    noTargetLogged.remove(gateway.id());
    ObjectNode desired = Owned.stamp(ExternalNameServices.forGateway(tree, gateway, target.get()));
    Optional<JsonNode> existing = caches.service(id);
    if (existing.isEmpty()) {
      cluster.create(desired);
    } else if (!Owned.isOurs(existing.get(), "Gateway", gateway.id().name())) {
      LOG.debug("Service {} is not ours: left alone", id);
    } else if (!Owned.upToDate(existing.get(), desired)) {
      cluster.update(Owned.forUpdate(existing.get(), desired));
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
    ObjectNode applied = Json.object().put("apiVersion", gatewayApiVersion).put("kind", "Gateway");
    applied.putObject("metadata").put("name", k8sGateway.name()).put("namespace", k8sGateway.namespace());
    return applied;
  }

  private static Map<String, JsonNode> byName(JsonNode listeners) {
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    listeners.forEach(l -> byName.put(Json.stringOr(l, "", "name"), l));
    return byName;
  }
}
