package dev.ofn.webhook.tls;

import dev.ofn.webhook.Daemons;
import dev.ofn.webhook.cluster.ChangeListener;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-cluster certificates ({@code --cert-mode=self}), wired: every replica runs {@link #start()}
 * (watch the Secret, hand new bundles to the server); the elected leader additionally runs {@link
 * #startLeading()} until {@link #stopLeading()}: a {@link CertLeader} pass on every change of the
 * Secret or of either webhook configuration, and every {@code resync} for the timers.
 */
public final class ClusterCertificates implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterCertificates.class);

  private final KubernetesClient client;
  private final CertSettings settings;
  private final CertWatcher watcher;
  private final CertLeader leader;
  private final ScheduledExecutorService executor;
  private final AtomicBoolean passQueued = new AtomicBoolean();
  private final List<SharedIndexInformer<?>> leaderInformers = new ArrayList<>();
  private volatile boolean leading;
  private ScheduledFuture<?> timer;

  public ClusterCertificates(
      KubernetesClient client, CertSettings settings, Clock clock, Consumer<CertBundle> onChange) {
    this(client, settings, CertRotation.DEFAULT, clock, onChange);
  }

  public ClusterCertificates(
      KubernetesClient client,
      CertSettings settings,
      CertRotation rotation,
      Clock clock,
      Consumer<CertBundle> onChange) {
    this.client = client;
    this.settings = settings;
    this.leader = new CertLeader(client, settings, rotation, clock);
    this.watcher = new CertWatcher(client, settings, clock, onChange, this::trigger);
    // One thread: leader passes never overlap, and a burst of events collapses into one pass.
    this.executor = Daemons.timer("ofn-webhook-certs");
  }

  /** Every replica: watch the Secret. */
  public void start() {
    watcher.start();
  }

  /** The bundle being served, once the Secret held a servable one. */
  public Optional<CertBundle> current() {
    return watcher.current();
  }

  /** The leader: keep Secret and caBundles right from now on. */
  public synchronized void startLeading() {
    if (leading) {
      return;
    }
    leading = true;
    ResourceEventHandler<Object> wake = ChangeListener.handler(ChangeListener.any(o -> trigger()));
    SharedIndexInformer<MutatingWebhookConfiguration> m =
        client
            .admissionRegistration()
            .v1()
            .mutatingWebhookConfigurations()
            .withName(settings.mutatingConfig())
            .inform(wake);
    SharedIndexInformer<ValidatingWebhookConfiguration> v =
        client
            .admissionRegistration()
            .v1()
            .validatingWebhookConfigurations()
            .withName(settings.validatingConfig())
            .inform(wake);
    leaderInformers.add(m);
    leaderInformers.add(v);
    long period = Math.max(1, settings.resync().toMillis());
    timer = executor.scheduleWithFixedDelay(this::trigger, 0, period, TimeUnit.MILLISECONDS);
  }

  public synchronized void stopLeading() {
    leading = false;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    leaderInformers.forEach(SharedIndexInformer::close);
    leaderInformers.clear();
  }

  /** Queues one leader pass unless one is already queued. */
  void trigger() {
    if (leading && passQueued.compareAndSet(false, true)) {
      try {
        executor.execute(this::pass);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        passQueued.set(false); // closing
      }
    }
  }

  private void pass() {
    passQueued.set(false);
    if (!leading) {
      return;
    }
    try {
      leader.reconcileOnce();
    } catch (RuntimeException e) {
      // The next event or the timer retries; the server keeps serving what it has.
      LOG.warn(
          "{}reconciliation failed, retrying in {} s: {}",
          settings.where(),
          settings.resync().toSeconds(),
          e.toString());
    }
  }

  @Override
  public void close() {
    stopLeading();
    watcher.close();
    executor.shutdownNow();
  }
}
