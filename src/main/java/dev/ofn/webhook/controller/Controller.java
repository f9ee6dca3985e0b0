package dev.ofn.webhook.controller;

import dev.ofn.webhook.gateways.ClusterGatewayCatalog;
import dev.ofn.webhook.gateways.ClusterResources;
import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.routing.ConflictIndex;
import dev.ofn.webhook.routing.HttpRoutes;
import dev.ofn.webhook.routing.Owner;
import dev.ofn.webhook.routing.RouteDerivation;
import dev.ofn.webhook.routing.RouteKeys;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The controller (SPEC §9): informer events become keys on two work queues (Functions, OFN Gateways),
 * which the reconcilers work off while this replica leads. It reuses the admission informers (the
 * catalog's Gateways, the feed's Functions and HTTPRoutes) and adds only its own: Knative Services
 * and the Services it owns. A periodic resync (and gaining leadership) enqueues everything, so state
 * converges after a lost watch; reconciles write only what differs.
 */
public final class Controller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Controller.class);
  static final String KNATIVE_SERVING = "serving.knative.dev/v1";

  /** Timing and sizing; {@link #DEFAULT} for the server, shorter ones for tests. */
  public record Settings(Duration resync, Duration backoffBase, Duration backoffMax, int functionWorkers, Clock clock) {
    public static final Settings DEFAULT =
        new Settings(Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofMinutes(5), 2, Clock.systemUTC());
  }

  private final KubernetesClient client;
  private final ClusterGatewayCatalog catalog;
  private final ConflictIndexFeed feed;
  private final ConflictIndex index;
  private final RouteKeys routeKeys;
  private final Leadership leadership;
  private final Settings settings;
  private final List<SharedIndexInformer<?>> own = new ArrayList<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "controller-timer");
    thread.setDaemon(true);
    return thread;
  });
  private Cluster cluster;
  private Caches caches;
  private FunctionReconciler functions;
  private GatewayReconciler gateways;
  private WorkQueue<NamespacedName> functionQueue;
  private WorkQueue<NamespacedName> gatewayQueue;

  public Controller(KubernetesClient client, ClusterGatewayCatalog catalog, ConflictIndexFeed feed, ConflictIndex index,
      RouteKeys routeKeys, Leadership leadership, Settings settings) {
    this.client = client;
    this.catalog = catalog;
    this.feed = feed;
    this.index = index;
    this.routeKeys = routeKeys;
    this.leadership = leadership;
    this.settings = settings;
  }

  /** Starts the controller-only informers and the queues; the workers begin once every cache has synced. */
  public void start() {
    cluster = new Cluster(client, leadership::isLeader);
    String routeVersion = ClusterResources.gatewayApiVersion(client, "httproutes").orElse(null);
    String gatewayVersion = ClusterResources.gatewayApiVersion(client, "gateways").orElse(null);
    if (routeVersion == null || gatewayVersion == null) {
      LOG.warn("the cluster serves no Gateway API {}: the controller writes no {}",
          routeVersion == null ? "httproutes" : "gateways", routeVersion == null ? "HTTPRoutes" : "listeners");
    }
    SharedIndexInformer<GenericKubernetesResource> services = client.genericKubernetesResources("v1", "Service")
        .inAnyNamespace().withLabel(HttpRoutes.CREATED_BY_LABEL, HttpRoutes.CREATED_BY).inform();
    own.add(services);
    caches = new Caches(cluster, feed.informer("functions").orElse(null), feed.informer("httproutes").orElse(null),
        catalog.informer("ofn-gateways").orElse(null), catalog.informer("k8s-gateways").orElse(null), services);
    if (caches.functions == null) {
      LOG.warn("the cluster serves no {} functions: the controller reconciles only OFN Gateways", ClusterResources.FUNCTIONS);
    }
    EventRecorder events = new EventRecorder(cluster, leadership.identity(), settings.clock());
    functions = new FunctionReconciler(cluster, caches, routeKeys, index, events, settings.clock(), routeVersion);
    gateways = new GatewayReconciler(cluster, caches, settings.clock(), gatewayVersion);
    functionQueue = new WorkQueue<>("Function", settings.functionWorkers(), settings.backoffBase(), settings.backoffMax(),
        key -> run(() -> functions.reconcile(key)));
    gatewayQueue = new WorkQueue<>("OFN Gateway", 1, settings.backoffBase(), settings.backoffMax(),
        key -> run(() -> gateways.reconcile(key)));

    watchKnative();
    services.addEventHandler(handler(this::serviceChanged));
    if (caches.functions != null) {
      caches.functions.addEventHandler(handler(this::functionChanged));
    }
    if (caches.httpRoutes != null) {
      caches.httpRoutes.addEventHandler(handler(this::routeChanged));
    }
    if (caches.ofnGateways != null) {
      caches.ofnGateways.addEventHandler(new ResourceEventHandler<>() {
        @Override
        public void onAdd(GenericKubernetesResource gateway) {
          ofnGatewayChanged(gateway, true);
        }

        @Override
        public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource gateway) {
          // Our own status writes come back here: only a spec change concerns the Functions.
          ofnGatewayChanged(gateway, !java.util.Objects.equals(old.getMetadata().getGeneration(),
              gateway.getMetadata().getGeneration()));
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
    leadership.addListener(leading -> {
      if (leading) {
        resyncAll();
      }
    });
    timer.scheduleWithFixedDelay(this::resyncAll, settings.resync().toMillis(), settings.resync().toMillis(),
        TimeUnit.MILLISECONDS);
    timer.execute(this::startWhenSynced);
  }

  /** Enqueues every Function and OFN Gateway (periodic resync, new leader). */
  public void resyncAll() {
    if (caches == null) {
      return;
    }
    caches.all(caches.functions).forEach(f -> functionQueue.add(Caches.id(f)));
    caches.all(caches.ofnGateways).forEach(g -> gatewayQueue.add(Caches.id(g)));
    gatewayQueue.add(GatewayReconciler.SWEEP);
  }

  /** True when no work is queued or running (scheduled retries aside). */
  public boolean idle() {
    return functionQueue != null && functionQueue.idle() && gatewayQueue.idle();
  }

  /** Writes made by this replica: only the leader's count grows. */
  public long writes() {
    return cluster == null ? 0 : cluster.writes();
  }

  /** Objects whose last reconcile failed (retrying with backoff). */
  public int failing() {
    return functionQueue == null ? 0 : functionQueue.failing() + gatewayQueue.failing();
  }

  public int queueDepth() {
    return functionQueue == null ? 0 : functionQueue.depth() + gatewayQueue.depth();
  }

  int failures(NamespacedName function) {
    return functionQueue.failures(function);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    if (functionQueue != null) {
      functionQueue.close();
      gatewayQueue.close();
    }
    own.forEach(SharedIndexInformer::close);
  }

  /** Reconciles only while leading; a conflict (409) is retried soon without counting as a failure. */
  private boolean run(Runnable reconcile) {
    if (!leadership.isLeader()) {
      return true;
    }
    try {
      reconcile.run();
      return true;
    } catch (Cluster.NotLeader e) {
      return true;
    } catch (RuntimeException e) {
      if (Cluster.conflict(e)) {
        return false;
      }
      throw e;
    }
  }

  private void startWhenSynced() {
    if (caches.synced()) {
      LOG.info("controller caches synced: reconciling (writes only while leading)");
      functionQueue.start();
      gatewayQueue.start();
      resyncAll();
    } else if (!timer.isShutdown()) {
      timer.schedule(this::startWhenSynced, 100, TimeUnit.MILLISECONDS);
    }
  }

  /** Knative Services are controller-only; when the CRD is absent, look again every minute. */
  private void watchKnative() {
    if (ClusterResources.serves(client, KNATIVE_SERVING, "services")) {
      SharedIndexInformer<GenericKubernetesResource> knative =
          client.genericKubernetesResources(KNATIVE_SERVING, "Service").inAnyNamespace().inform(handler(this::knativeChanged));
      own.add(knative);
      caches.knativeServices = knative;
      caches.all(caches.functions).forEach(f -> functionQueue.add(Caches.id(f)));
    } else {
      LOG.info("the cluster serves no {} services: Knative Functions get no route until it does", KNATIVE_SERVING);
      timer.schedule(this::watchKnativeLater, 1, TimeUnit.MINUTES);
    }
  }

  private void watchKnativeLater() {
    if (ClusterResources.serves(client, KNATIVE_SERVING, "services")) {
      watchKnative();
    } else if (!timer.isShutdown()) {
      timer.schedule(this::watchKnativeLater, 1, TimeUnit.MINUTES);
    }
  }

  private void functionChanged(GenericKubernetesResource function) {
    functionQueue.add(Caches.id(function));
    functions.conflicted().forEach(functionQueue::add);
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
      if (RouteDerivation.hasRoute(tree) && RouteDerivation.gatewayRef(tree).equals(id)) {
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
    if (!used && annotations != null && annotations.containsKey(GatewayReconciler.INJECTED_ANNOTATION)) {
      gatewayQueue.add(GatewayReconciler.SWEEP);
    }
  }

  private void knativeChanged(GenericKubernetesResource service) {
    String name = service.getMetadata().getName();
    for (GenericKubernetesResource function : caches.inNamespace(caches.functions, service.getMetadata().getNamespace())) {
      if (name.equals(Json.stringOr(cluster.tree(function), "", "status", "serving", "service"))) {
        functionQueue.add(Caches.id(function));
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

  private static ResourceEventHandler<GenericKubernetesResource> handler(Consumer<GenericKubernetesResource> changed) {
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
