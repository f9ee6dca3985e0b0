package dev.ofn.webhook.tls;

import dev.ofn.webhook.Daemons;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --cert-mode=cert-manager}: the certificates are a Secret mounted read-only into the pod;
 * the kubelet swaps the files in place when cert-manager renews it. We poll rather than use a
 * WatchService: the kubelet's swap is a symlink rename that file watchers report unreliably, and a
 * poll every few seconds is cheap next to a renewal every 20 days. Never writes; never touches
 * caBundle (cainjector does).
 */
public final class CertDirWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CertDirWatcher.class);

  private final Path dir;
  private final Duration interval;
  private final ServedBundle served;
  private final ScheduledExecutorService executor = Daemons.timer("ofn-webhook-cert-dir");

  public CertDirWatcher(Path dir, Duration interval, Clock clock, Consumer<CertBundle> onChange) {
    this.dir = dir;
    this.interval = interval;
    this.served = new ServedBundle(clock, onChange);
  }

  /**
   * Loads once now (so the caller knows at once whether there is something to serve), then polls.
   */
  public Optional<CertBundle> start() {
    poll();
    executor.scheduleWithFixedDelay(
        this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return served.current();
  }

  public Optional<CertBundle> current() {
    return served.current();
  }

  void poll() {
    try {
      served.offer(CertFiles.load(dir), dir + dir.getFileSystem().getSeparator());
    } catch (RuntimeException e) {
      LOG.warn("{}: cannot be loaded: {}", dir, e.toString());
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
