package dev.ofn.webhook.cluster;

import dev.ofn.webhook.gateways.NamespacedName;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watched kind's informer, behind a handle that outlives it: the informer starts when the
 * cluster serves the kind and stops when it no longer does, while the listeners, registered once
 * before {@link Informers#start}, stay. Reads of a kind the cluster does not serve find nothing.
 */
public final class Watch {
  private static final Logger LOG = LoggerFactory.getLogger(Watch.class);

  private final WatchedKind kind;
  private final List<ChangeListener<GenericKubernetesResource>> listeners =
      new CopyOnWriteArrayList<>();
  private final ChangeListener<GenericKubernetesResource> fanOut =
      new ChangeListener<>() {
        @Override
        public void changed(GenericKubernetesResource old, GenericKubernetesResource now) {
          for (ChangeListener<GenericKubernetesResource> listener : listeners) {
            listener.changed(old, now);
          }
        }

        @Override
        public void deleted(GenericKubernetesResource gone) {
          for (ChangeListener<GenericKubernetesResource> listener : listeners) {
            listener.deleted(gone);
          }
        }
      };
  private volatile boolean sealed;
  private volatile SharedIndexInformer<GenericKubernetesResource> informer;
  private volatile String version;

  Watch(WatchedKind kind) {
    this.kind = kind;
  }

  public WatchedKind kind() {
    return kind;
  }

  /**
   * Adds a listener; only before the informers start (a listener added later would miss objects
   * already listed).
   */
  public void onChange(ChangeListener<GenericKubernetesResource> listener) {
    if (sealed) {
      throw new IllegalStateException(kind.name() + ": listeners are added before the start");
    }
    listeners.add(listener);
  }

  /** The served {@code group/version} being watched; empty while the cluster does not serve it. */
  public Optional<String> apiVersion() {
    String served = version;
    return served == null ? Optional.empty() : Optional.of(kind.apiVersion(served));
  }

  public boolean served() {
    return informer != null;
  }

  /** True once the running informer has listed its objects (false while not served). */
  public boolean synced() {
    SharedIndexInformer<GenericKubernetesResource> running = informer;
    return running != null && running.hasSynced();
  }

  /** Every cached object (none while not served). */
  public List<GenericKubernetesResource> list() {
    SharedIndexInformer<GenericKubernetesResource> running = informer;
    return running == null ? List.of() : running.getStore().list();
  }

  /** The cached object {@code id} (a cluster-scoped kind ignores the namespace). */
  public Optional<GenericKubernetesResource> get(NamespacedName id) {
    SharedIndexInformer<GenericKubernetesResource> running = informer;
    if (running == null) {
      return Optional.empty();
    }
    String key = kind.namespaced() ? id.namespace() + "/" + id.name() : id.name();
    return Optional.ofNullable(running.getStore().getByKey(key));
  }

  /** The cached objects of {@code namespace}. */
  public List<GenericKubernetesResource> inNamespace(String namespace) {
    SharedIndexInformer<GenericKubernetesResource> running = informer;
    return running == null
        ? List.of()
        : running.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
  }

  void seal() {
    sealed = true;
  }

  /**
   * Watches {@code served} (a version of the kind): starts the informer, or restarts it when
   * another version is now the preferred one. Returns true when it started one.
   */
  synchronized boolean start(KubernetesClient client, String served) {
    if (informer != null && served.equals(version)) {
      return false;
    }
    stop();
    ResourceDefinitionContext context =
        new ResourceDefinitionContext.Builder()
            .withGroup(kind.group())
            .withVersion(served)
            .withPlural(kind.plural())
            .withKind(kind.kind())
            .withNamespaced(kind.namespaced())
            .build();
    MixedOperation<GenericKubernetesResource, ?, ?> resources =
        client.genericKubernetesResources(context);
    Informable<GenericKubernetesResource> scope =
        kind.namespaced() ? resources.inAnyNamespace() : resources;
    if (kind.labelSelector() != null) {
      String[] label = kind.labelSelector().split("=", 2);
      scope =
          kind.namespaced()
              ? resources.inAnyNamespace().withLabel(label[0], label[1])
              : resources.withLabel(label[0], label[1]);
    }
    SharedIndexInformer<GenericKubernetesResource> started = scope.runnableInformer(0);
    started.itemStore(new StrippedStore());
    // also before the first list (RBAC granted later, a CRD just established): retried with
    // fabric8's backoff, logged once per informer
    AtomicBoolean logged = new AtomicBoolean();
    started.exceptionHandler(
        (isStarted, failure) -> {
          if (logged.compareAndSet(false, true)) {
            LOG.warn(
                "{} ({}): watch failed, retrying: {}",
                kind.name(),
                kind.apiVersion(served),
                failure.getMessage());
          }
          return true;
        });
    started.addEventHandler(ChangeListener.handler(fanOut));
    version = served;
    informer = started;
    started.start();
    return true;
  }

  /**
   * Stops the informer, and tells the listeners that every object it held is gone (the kind's
   * objects no longer exist for this server). Returns true when one was running.
   */
  synchronized boolean stop() {
    SharedIndexInformer<GenericKubernetesResource> running = informer;
    if (running == null) {
      return false;
    }
    close();
    version = null;
    for (GenericKubernetesResource gone : running.getStore().list()) {
      try {
        fanOut.deleted(gone);
      } catch (RuntimeException e) {
        LOG.warn("{}: a listener failed on stop: {}", kind.name(), e.toString());
      }
    }
    return true;
  }

  /**
   * Stops the informer without telling the listeners (the server stops); the served version stays
   * known.
   */
  synchronized void close() {
    SharedIndexInformer<GenericKubernetesResource> running = informer;
    informer = null;
    if (running != null) {
      running.stop();
    }
  }
}
