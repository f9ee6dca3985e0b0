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
 * Leader election on a {@code coordination.k8s.io} Lease: every replica campaigns, one leads, and a
 * replica that loses the lease campaigns again. Listeners hear about gaining and losing it, so
 * writers (the controller, certificate management) can start and stop.
 *
 * <p>On close the lease is released, so a new leader takes over at once instead of after the lease
 * duration.
 *
 * <p>Failures to read or write the Lease (a missing namespace, missing permissions) are retried
 * every retry period; they are logged once when they start and once when they end (fabric8's
 * elector, which would log a stack trace per retry, is silenced in simplelogger.properties), and
 * {@link #problem()} tells /readyz and the metrics.
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
  private volatile String problem;
  private final java.util.concurrent.atomic.AtomicInteger problemChanges =
      new java.util.concurrent.atomic.AtomicInteger();

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
                    .withLock(new ReportingLock(new LeaseLock(namespace, leaseName, identity)))
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
            report(describe(error));
          }
          if (!closed) {
            CompletableFuture.delayedExecutor(
                    timing.retryPeriod().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .execute(this::start);
          }
        });
  }

  /**
   * Why this replica cannot take part in the election right now (e.g. {@code namespaces
   * "ofn-webhook-system" not found}), or empty while the Lease can be read and written.
   */
  public java.util.Optional<String> problem() {
    return java.util.Optional.ofNullable(problem);
  }

  /** How many times {@link #problem()} changed, i.e. how many lines were logged about it. */
  int problemChanges() {
    return problemChanges.get();
  }

  /** One log line per change: a new problem, or the end of one. */
  private synchronized void report(String now) {
    String before = problem;
    if (java.util.Objects.equals(before, now)) {
      return;
    }
    problem = now;
    problemChanges.incrementAndGet();
    if (now == null) {
      LOG.info("leader election on lease {}/{} works again", namespace, leaseName);
    } else {
      LOG.warn(
          "leader election on lease {}/{} fails, retrying every {}: {}; until it works no replica "
              + "leads, so nothing is written",
          namespace,
          leaseName,
          dev.ofn.webhook.DurationText.format(timing.retryPeriod()),
          now);
    }
  }

  private String describe(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof java.util.concurrent.CompletionException
            || cause instanceof java.util.concurrent.ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof io.fabric8.kubernetes.client.KubernetesClientException k) {
      String message =
          k.getStatus() != null && k.getStatus().getMessage() != null
              ? k.getStatus().getMessage()
              : k.getMessage();
      if (k.getCode() == 404 && message.startsWith("namespaces ")) {
        return message + " (create it, or choose another with --namespace)";
      }
      return k.getCode() > 0 ? message + " (HTTP " + k.getCode() + ")" : message;
    }
    return String.valueOf(cause.getMessage() == null ? cause : cause.getMessage());
  }

  /** The Lease lock, reporting each call's failure or success to {@link #report}. */
  private final class ReportingLock
      implements io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock {
    private final LeaseLock lock;

    ReportingLock(LeaseLock lock) {
      this.lock = lock;
    }

    @Override
    public io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord
        get(KubernetesClient client) {
      // A Lease that is not there proves nothing yet: the create that follows may still fail.
      return call(() -> lock.get(client), java.util.Objects::nonNull);
    }

    @Override
    public void create(
        KubernetesClient client,
        io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord
            record) {
      call(
          () -> {
            lock.create(client, record);
            return null;
          },
          done -> true);
    }

    @Override
    public void update(
        KubernetesClient client,
        io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord
            record) {
      call(
          () -> {
            lock.update(client, record);
            return null;
          },
          done -> true);
    }

    @Override
    public String identity() {
      return lock.identity();
    }

    @Override
    public String describe() {
      return lock.describe();
    }

    private <T> T call(
        java.util.function.Supplier<T> action, java.util.function.Predicate<T> proves) {
      try {
        T result = action.get();
        if (proves.test(result)) {
          report(null);
        }
        return result;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        // 409: another replica wrote first, part of a normal election
        if (e.getCode() != 409) {
          report(Leadership.this.describe(e));
        }
        throw e;
      }
    }
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
