package dev.ofn.webhook.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a {@code coordination.k8s.io} Lease. Every replica campaigns; the winner runs the
 * writers (certificates, controller) until it loses the lease, then campaigns again. A new leader takes
 * over within the lease duration.
 */
final class Leadership implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
  static final Duration LEASE = Duration.ofSeconds(15);
  static final Duration RENEW = Duration.ofSeconds(10);
  static final Duration RETRY = Duration.ofSeconds(2);

  /** What the leader does: started on winning, stopped on losing (or on shutdown). */
  interface Role {
    void startLeading();

    void stopLeading();
  }

  private final KubernetesClient client;
  private final String namespace;
  private final String leaseName;
  private final String identity;
  private final List<Role> roles = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "leader-election");
    thread.setDaemon(true);
    return thread;
  });
  private volatile boolean closed;
  private volatile boolean leading;
  private volatile CompletableFuture<?> campaign;

  Leadership(KubernetesClient client, String namespace, String leaseName, String identity) {
    this.client = client;
    this.namespace = namespace;
    this.leaseName = leaseName;
    this.identity = identity;
  }

  void add(Role role) {
    roles.add(role);
  }

  boolean leading() {
    return leading;
  }

  void start() {
    campaign();
  }

  private void campaign() {
    if (closed) {
      return;
    }
    LeaderElector elector = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
        .withName(leaseName)
        .withLock(new LeaseLock(namespace, leaseName, identity))
        .withLeaseDuration(LEASE)
        .withRenewDeadline(RENEW)
        .withRetryPeriod(RETRY)
        .withReleaseOnCancel(true)
        .withLeaderCallbacks(new LeaderCallbacks(this::won, this::lost,
            leader -> LOG.info("leader of {}/{} is now {}", namespace, leaseName, leader)))
        .build()).build();
    campaign = elector.start();
    campaign.whenComplete((ignored, error) -> {
      if (error != null && !closed) {
        LOG.warn("leader election on {}/{} stopped: {}; campaigning again", namespace, leaseName, error.toString());
      }
      executor.schedule(this::campaign, RETRY.toMillis(), TimeUnit.MILLISECONDS);
    });
  }

  private void won() {
    leading = true;
    LOG.info("{} leads {}/{}: writing certificates and routes", identity, namespace, leaseName);
    roles.forEach(Leadership::safely);
  }

  private void lost() {
    if (leading) {
      leading = false;
      LOG.info("{} lost {}/{}: writers stopped", identity, namespace, leaseName);
      roles.forEach(role -> {
        try {
          role.stopLeading();
        } catch (RuntimeException e) {
          LOG.warn("stopping {}: {}", role, e.toString());
        }
      });
    }
  }

  private static void safely(Role role) {
    try {
      role.startLeading();
    } catch (RuntimeException e) {
      LOG.error("starting {} as leader failed", role, e);
    }
  }

  @Override
  public void close() {
    closed = true;
    CompletableFuture<?> current = campaign;
    if (current != null) {
      current.cancel(true); // releases the lease (releaseOnCancel)
    }
    lost();
    executor.shutdownNow();
  }
}
