package dev.ofn.webhook.tls;

import dev.ofn.webhook.cluster.ChangeListener;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every replica's side: watches the certificate Secret and hands each new servable bundle to the
 * server (which swaps its TLS options in place). A bundle that cannot be served — corrupt, key not
 * matching, expired — is refused with a warning and the previous one stays in use.
 */
public final class CertWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CertWatcher.class);

  private final KubernetesClient client;
  private final CertSettings settings;
  private final ServedBundle served;
  private final Runnable onEvent;
  private SharedIndexInformer<Secret> informer;

  /**
   * @param onChange called (on the informer's thread) with each new servable bundle
   * @param onEvent called after every Secret event, e.g. to wake the leader; may be a no-op
   */
  public CertWatcher(
      KubernetesClient client,
      CertSettings settings,
      Clock clock,
      Consumer<CertBundle> onChange,
      Runnable onEvent) {
    this.client = client;
    this.settings = settings;
    this.served = new ServedBundle(clock, onChange);
    this.onEvent = onEvent;
  }

  public synchronized void start() {
    if (informer != null) {
      return;
    }
    informer =
        client
            .secrets()
            .inNamespace(settings.namespace())
            .withName(settings.secretName())
            .inform(
                ChangeListener.handler(
                    new ChangeListener<Secret>() {
                      @Override
                      public void changed(Secret before, Secret after) {
                        offer(after);
                      }

                      @Override
                      public void deleted(Secret secret) {
                        // Keep serving what we have: the leader re-creates it.
                        LOG.warn(
                            "{}deleted; serving the certificate in memory until it is re-created",
                            settings.where());
                        onEvent.run();
                      }
                    }));
  }

  /** The bundle being served, once one arrived. */
  public Optional<CertBundle> current() {
    return served.current();
  }

  void offer(Secret secret) {
    try {
      served.offer(CertSecret.decode(secret).bundle(), settings.where());
    } catch (RuntimeException e) {
      LOG.warn("{}cannot be loaded: {}", settings.where(), e.toString());
    } finally {
      onEvent.run();
    }
  }

  @Override
  public synchronized void close() {
    if (informer != null) {
      informer.close();
      informer = null;
    }
  }
}
