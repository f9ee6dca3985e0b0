package dev.ofn.webhook.controller;

import dev.ofn.webhook.cluster.ClusterGatewayCatalog;
import dev.ofn.webhook.cluster.Informers;
import dev.ofn.webhook.cluster.Watch;
import dev.ofn.webhook.gateways.Listener;
import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * What the reconcilers read: the shared informers' caches (as trees) and the gateway catalog's
 * converted OFN Gateways; no second watch on anything. A kind the cluster does not serve (now)
 * reads as empty.
 */
final class Caches {
  final Watch functions;
  final Watch httpRoutes;
  final Watch grpcRoutes;
  final Watch k8sGateways;
  final Watch knativeServices;
  final Watch services;
  private final ClusterGatewayCatalog catalog;
  private final Informers informers;
  private final Cluster cluster;

  Caches(Cluster cluster, Informers informers, ClusterGatewayCatalog catalog) {
    this.cluster = cluster;
    this.catalog = catalog;
    this.informers = informers;
    this.functions = informers.functions();
    this.httpRoutes = informers.httpRoutes();
    this.grpcRoutes = informers.grpcRoutes();
    this.k8sGateways = informers.k8sGateways();
    this.knativeServices = informers.knativeServices();
    this.services = informers.ownedServices();
  }

  Optional<JsonNode> function(NamespacedName id) {
    return functions.get(id).map(this::tree);
  }

  Optional<JsonNode> httpRoute(NamespacedName id) {
    return httpRoutes.get(id).map(this::tree);
  }

  Optional<JsonNode> grpcRoute(NamespacedName id) {
    return grpcRoutes.get(id).map(this::tree);
  }

  /** The OFN Gateway as the catalog converted it ({@link OfnGateway#source} is its tree). */
  Optional<OfnGateway> ofnGateway(NamespacedName id) {
    return catalog.ofnGateway(id);
  }

  Collection<OfnGateway> ofnGateways() {
    return catalog.ofnGateways();
  }

  Optional<JsonNode> k8sGateway(NamespacedName id) {
    return k8sGateways.get(id).map(this::tree);
  }

  /** The listeners of the k8s Gateway {@code id} as the catalog converted them. */
  Optional<List<Listener>> k8sGatewayListeners(NamespacedName id) {
    return catalog.k8sGatewayListeners(id);
  }

  Optional<JsonNode> knativeService(NamespacedName id) {
    return knativeServices.get(id).map(this::tree);
  }

  /** A Service: ours from the cache, anyone else's by a live GET (the cache only holds ours). */
  Optional<JsonNode> service(NamespacedName id) {
    Optional<JsonNode> ours = services.get(id).map(this::tree);
    return ours.isPresent() ? ours : cluster.get("v1", "Service", id);
  }

  /** The HTTPRoute version the cluster serves; empty when it serves none (now). */
  Optional<String> httpRouteVersion() {
    return httpRoutes.apiVersion();
  }

  /** The Gateway API Gateway version the cluster serves; empty when it serves none (now). */
  Optional<String> k8sGatewayVersion() {
    return k8sGateways.apiVersion();
  }

  JsonNode tree(GenericKubernetesResource resource) {
    return cluster.tree(resource);
  }

  static NamespacedName id(GenericKubernetesResource resource) {
    return new NamespacedName(
        resource.getMetadata().getNamespace(), resource.getMetadata().getName());
  }

  static NamespacedName id(JsonNode object) {
    return new NamespacedName(
        Json.stringOr(object, "default", "metadata", "namespace"),
        Json.stringOr(object, "", "metadata", "name"));
  }

  /** True when every running informer has listed its objects once. */
  boolean synced() {
    return !informers.syncState().containsValue(false);
  }
}
