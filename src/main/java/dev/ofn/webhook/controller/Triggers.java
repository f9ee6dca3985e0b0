package dev.ofn.webhook.controller;

import dev.ofn.webhook.cluster.ChangeListener;
import dev.ofn.webhook.cluster.Informers;
import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.model.FunctionBackends;
import dev.ofn.webhook.model.FunctionRoute;
import dev.ofn.webhook.routing.HttpRoutes;
import dev.ofn.webhook.routing.Owner;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * Which keys an informer event puts on the queues: a Function for its own change, its HTTPRoute's,
 * its Services', its Knative Service's, and for those of a Function its route splits traffic to; an
 * OFN Gateway (and, for a spec change, its Functions) for its own change, its k8s Gateway's, its
 * {@code gateway} Service's. Functions that lost a conflict are re-checked whenever a Function or
 * HTTPRoute changes, since that may free their keys.
 */
final class Triggers {
  private final Cluster cluster;
  private final Caches caches;
  private final FunctionReconciler functions;
  private final WorkQueue<NamespacedName> functionQueue;
  private final WorkQueue<NamespacedName> gatewayQueue;

  /**
   * The Functions each Function's route splits traffic to, kept from the Function events so that
   * finding who refers to a Function reads no Function tree.
   */
  private final Map<NamespacedName, Set<String>> splitsTo = new ConcurrentHashMap<>();

  Triggers(
      Cluster cluster,
      Caches caches,
      FunctionReconciler functions,
      WorkQueue<NamespacedName> functionQueue,
      WorkQueue<NamespacedName> gatewayQueue) {
    this.cluster = cluster;
    this.caches = caches;
    this.functions = functions;
    this.functionQueue = functionQueue;
    this.gatewayQueue = gatewayQueue;
  }

  /** Adds our listeners to the shared informers (before they start). */
  void register(Informers informers) {
    informers.ownedServices().onChange(ChangeListener.any(this::serviceChanged));
    informers.functions().onChange(ChangeListener.any(this::functionChanged));
    informers.httpRoutes().onChange(ChangeListener.any(this::routeChanged));
    informers
        .ofnGateways()
        .onChange(
            new ChangeListener<>() {
              @Override
              public void changed(GenericKubernetesResource old, GenericKubernetesResource now) {
                // Our own status writes come back here: only a spec change concerns the
                // Functions.
                ofnGatewayChanged(
                    now,
                    old == null
                        || !Objects.equals(
                            old.getMetadata().getGeneration(), now.getMetadata().getGeneration()));
              }

              @Override
              public void deleted(GenericKubernetesResource gone) {
                ofnGatewayChanged(gone, true);
              }
            });
    informers.k8sGateways().onChange(ChangeListener.any(this::k8sGatewayChanged));
    informers.knativeServices().onChange(ChangeListener.any(this::knativeChanged));
  }

  private void functionChanged(GenericKubernetesResource function) {
    NamespacedName id = Caches.id(function);
    if (caches.function(id).isPresent()) {
      Set<String> referenced = FunctionBackends.referenced(cluster.tree(function));
      if (referenced.isEmpty()) {
        splitsTo.remove(id);
      } else {
        splitsTo.put(id, referenced);
      }
    } else {
      splitsTo.remove(id); // deleted
    }
    functionQueue.add(id);
    referrers(id).forEach(functionQueue::add);
    functions.conflicted().forEach(functionQueue::add);
  }

  /** The other Functions of the namespace whose route rules split traffic to {@code id}. */
  private List<NamespacedName> referrers(NamespacedName id) {
    List<NamespacedName> referrers = new ArrayList<>();
    splitsTo.forEach(
        (other, names) -> {
          if (!other.equals(id)
              && other.namespace().equals(id.namespace())
              && names.contains(id.name())) {
            referrers.add(other);
          }
        });
    return referrers;
  }

  private void routeChanged(GenericKubernetesResource route) {
    NamespacedName id = Caches.id(route);
    functionQueue.add(id);
    Owner owner = Owner.attributed(cluster.tree(route));
    if (owner.kind() == Owner.Kind.FUNCTION && !owner.name().equals(id)) {
      functionQueue.add(owner.name());
    }
    functions.conflicted().forEach(functionQueue::add);
  }

  private void ofnGatewayChanged(GenericKubernetesResource gateway, boolean functionsToo) {
    NamespacedName id = Caches.id(gateway);
    gatewayQueue.add(id);
    if (!functionsToo) {
      return;
    }
    for (GenericKubernetesResource function : caches.functions.list()) {
      JsonNode tree = cluster.tree(function);
      if (FunctionRoute.hasRoute(tree) && FunctionRoute.gatewayRef(tree).equals(Optional.of(id))) {
        functionQueue.add(Caches.id(function));
      }
    }
  }

  private void k8sGatewayChanged(GenericKubernetesResource k8sGateway) {
    NamespacedName id = Caches.id(k8sGateway);
    boolean used = false;
    for (OfnGateway gateway : caches.ofnGateways()) {
      if (gateway.k8sGateway().equals(id)) {
        gatewayQueue.add(gateway.id());
        used = true;
      }
    }
    Map<String, String> annotations = k8sGateway.getMetadata().getAnnotations();
    if (!used
        && annotations != null
        && annotations.containsKey(GatewayReconciler.INJECTED_ANNOTATION)) {
      gatewayQueue.add(GatewayReconciler.SWEEP);
    }
  }

  /**
   * A Knative Service changed: the Functions it serves, the routes that split traffic to them, and
   * the routes that send to one of its revisions (when it goes, so do they).
   */
  private void knativeChanged(GenericKubernetesResource service) {
    String name = service.getMetadata().getName();
    String namespace = service.getMetadata().getNamespace();
    for (GenericKubernetesResource function : caches.functions.inNamespace(namespace)) {
      if (name.equals(Json.stringOr(cluster.tree(function), "", "status", "serving", "service"))) {
        NamespacedName id = Caches.id(function);
        functionQueue.add(id);
        referrers(id).forEach(functionQueue::add);
      }
    }
    for (GenericKubernetesResource route : caches.httpRoutes.inNamespace(namespace)) {
      Map<String, String> labels = route.getMetadata().getLabels();
      if (labels == null || !labels.containsKey(HttpRoutes.FUNCTION_LABEL)) {
        continue;
      }
      for (JsonNode rule : Json.at(cluster.tree(route), "spec", "rules")) {
        for (JsonNode ref : Json.at(rule, "backendRefs")) {
          if (Json.stringOr(ref, "", "name").startsWith(name + "-")) {
            functionQueue.add(new NamespacedName(namespace, labels.get(HttpRoutes.FUNCTION_LABEL)));
          }
        }
      }
    }
  }

  private void serviceChanged(GenericKubernetesResource service) {
    NamespacedName id = Caches.id(service);
    Map<String, String> labels = service.getMetadata().getLabels();
    if (labels != null && labels.containsKey(HttpRoutes.FUNCTION_LABEL)) {
      functionQueue.add(new NamespacedName(id.namespace(), labels.get(HttpRoutes.FUNCTION_LABEL)));
    }
    Optional.ofNullable(service.getMetadata().getOwnerReferences()).orElse(List.of()).stream()
        .filter(ref -> "Gateway".equals(ref.getKind()) && Boolean.TRUE.equals(ref.getController()))
        .forEach(ref -> gatewayQueue.add(new NamespacedName(id.namespace(), ref.getName())));
  }
}
