package dev.ofn.webhook.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a {@code coordination.k8s.io} Lease (SPEC §9): every replica campaigns, one
 * leads, and a replica that loses the lease campaigns again. Listeners hear about gaining and
 * losing it, so writers (the controller, certificate management) can start and stop.
 *
 * <p>On close the lease is released, so a new leader takes over at once instead of after the lease
 * duration.
 */
public final class Leadership implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  /** Lease timing; client-go's defaults are 15 s / 10 s / 2 s. */
  public record Timing(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    public static final Timing DEFAULT =
        new Timing(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
  }

  /**
   * Told when this replica starts or stops leading; called on the elector's thread, must not block.
   */
  public interface Listener {
    void leading(boolean leading);
  }

  private final KubernetesClient client;
  private final String namespace;
  private final String leaseName;
  private final String identity;
  private final Timing timing;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean leader;
  private volatile boolean closed;
  private volatile CompletableFuture<?> running;

  public Leadership(
      KubernetesClient client, String namespace, String leaseName, String identity, Timing timing) {
    this.client = client;
    this.namespace = namespace;
    this.leaseName = leaseName;
    this.identity = identity;
    this.timing = timing;
  }

  /**
   * The pod name (HOSTNAME) plus a random suffix: a restarted container must not inherit a live
   * lease.
   */
  public static String defaultIdentity() {
    String host = System.getenv().getOrDefault("HOSTNAME", "ofn-webhook");
    return host + "_" + UUID.randomUUID().toString().substring(0, 8);
  }

  public void addListener(Listener listener) {
    listeners.add(listener);
    if (leader) {
      listener.leading(true);
    }
  }

  public boolean isLeader() {
    return leader && !closed;
  }

  public String identity() {
    return identity;
  }

  public synchronized void start() {
    if (closed || running != null && !running.isDone()) {
      return;
    }
    LOG.info("campaigning for lease {}/{} as {}", namespace, leaseName, identity);
    running =
        client
            .leaderElector()
            .withConfig(
                new LeaderElectionConfigBuilder()
                    .withName(leaseName)
                    .withLock(new LeaseLock(namespace, leaseName, identity))
                    .withLeaseDuration(timing.leaseDuration())
                    .withRenewDeadline(timing.renewDeadline())
                    .withRetryPeriod(timing.retryPeriod())
                    .withReleaseOnCancel(true)
                    .withLeaderCallbacks(
                        new LeaderCallbacks(this::started, this::stopped, this::newLeader))
                    .build())
            .build()
            .start();
    // The elector's future ends when leadership is lost (or on an error): campaign again.
    running.whenComplete(
        (ignored, error) -> {
          if (error != null
              && !closed
              && !(error instanceof java.util.concurrent.CancellationException)) {
            LOG.warn(
                "leader election on {}/{} stopped: {}", namespace, leaseName, error.toString());
          }
          if (!closed) {
            CompletableFuture.delayedExecutor(
                    timing.retryPeriod().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .execute(this::start);
          }
        });
  }

  private void started() {
    LOG.info("{} leads (lease {}/{})", identity, namespace, leaseName);
    leader = true;
    listeners.forEach(l -> l.leading(true));
  }

  private void stopped() {
    if (leader) {
      LOG.info("{} no longer leads (lease {}/{})", identity, namespace, leaseName);
    }
    leader = false;
    listeners.forEach(l -> l.leading(false));
  }

  private void newLeader(String holder) {
    if (holder != null && !holder.isEmpty() && !identity.equals(holder)) {
      LOG.info("leader is now {}", holder);
    }
  }

  @Override
  public void close() {
    CompletableFuture<?> current;
    synchronized (this) {
      closed = true;
      current = running;
    }
    if (current != null) {
      current.cancel(true); // releaseOnCancel: the lease is given up
    }
    if (leader) {
      stopped();
    }
  }
}
