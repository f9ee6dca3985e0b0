package dev.ofn.webhook.controller;

import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.model.FunctionBackends;
import dev.ofn.webhook.model.FunctionRoute;
import dev.ofn.webhook.routing.HttpRoutes;
import dev.ofn.webhook.routing.Owner;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
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

  /** Adds our handlers to the shared informers and to the controller's Services informer. */
  void register(SharedIndexInformer<GenericKubernetesResource> services) {
    services.addEventHandler(handler(this::serviceChanged));
    if (caches.functions != null) {
      caches.functions.addEventHandler(handler(this::functionChanged));
    }
    if (caches.httpRoutes != null) {
      caches.httpRoutes.addEventHandler(handler(this::routeChanged));
    }
    if (caches.ofnGateways != null) {
      caches.ofnGateways.addEventHandler(
          new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource gateway) {
              ofnGatewayChanged(gateway, true);
            }

            @Override
            public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource gateway) {
              // Our own status writes come back here: only a spec change concerns the Functions.
              ofnGatewayChanged(
                  gateway,
                  !Objects.equals(
                      old.getMetadata().getGeneration(), gateway.getMetadata().getGeneration()));
            }

            @Override
            public void onDelete(GenericKubernetesResource gateway, boolean unknown) {
              ofnGatewayChanged(gateway, true);
            }
          });
    }
    if (caches.k8sGateways != null) {
      caches.k8sGateways.addEventHandler(handler(this::k8sGatewayChanged));
    }
  }

  ResourceEventHandler<GenericKubernetesResource> knative() {
    return handler(this::knativeChanged);
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
    for (GenericKubernetesResource function : caches.all(caches.functions)) {
      JsonNode tree = cluster.tree(function);
      if (FunctionRoute.hasRoute(tree) && FunctionRoute.gatewayRef(tree).equals(Optional.of(id))) {
        functionQueue.add(Caches.id(function));
      }
    }
  }

  private void k8sGatewayChanged(GenericKubernetesResource k8sGateway) {
    NamespacedName id = Caches.id(k8sGateway);
    boolean used = false;
    for (GenericKubernetesResource gateway : caches.all(caches.ofnGateways)) {
      if (OfnGateway.from(cluster.tree(gateway)).k8sGateway().equals(id)) {
        gatewayQueue.add(Caches.id(gateway));
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
    for (GenericKubernetesResource function : caches.inNamespace(caches.functions, namespace)) {
      if (name.equals(Json.stringOr(cluster.tree(function), "", "status", "serving", "service"))) {
        NamespacedName id = Caches.id(function);
        functionQueue.add(id);
        referrers(id).forEach(functionQueue::add);
      }
    }
    for (GenericKubernetesResource route : caches.inNamespace(caches.httpRoutes, namespace)) {
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

  private static ResourceEventHandler<GenericKubernetesResource> handler(
      Consumer<GenericKubernetesResource> changed) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(GenericKubernetesResource resource) {
        changed.accept(resource);
      }

      @Override
      public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource resource) {
        changed.accept(resource);
      }

      @Override
      public void onDelete(GenericKubernetesResource resource, boolean unknown) {
        changed.accept(resource);
      }
    };
  }
}
