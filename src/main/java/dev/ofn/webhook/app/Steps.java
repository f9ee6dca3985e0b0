package dev.ofn.webhook.app;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stop order of {@code webhook serve}: each set-up step that started something leaves its stop
 * here, and {@link #stopAll} runs them last-in first-out (as controller-runtime's manager stops its
 * runnable groups, and kyverno's {@code cmd/internal/setup} its shutdown funcs): the warm-up before
 * the listeners, the listeners before the controller, the controller's writers before the Lease,
 * the informers before the client, the client before Vert.x. A start that fails stops what had
 * started.
 */
final class Steps {
  private static final Logger LOG = LoggerFactory.getLogger(Steps.class);

  /** What stops a step; may throw, is logged and does not keep the others from stopping. */
  @FunctionalInterface
  interface Stop {
    void stop() throws Exception;
  }

  private record Started(String name, Stop stop) {}

  private final Deque<Started> started = new ArrayDeque<>();

  /** {@code name} started: {@code stop} runs before everything started earlier. */
  synchronized void started(String name, Stop stop) {
    started.push(new Started(name, stop));
  }

  /** Runs every stop, newest first, once. */
  void stopAll() {
    while (true) {
      Started step;
      synchronized (this) {
        step = started.poll();
      }
      if (step == null) {
        return;
      }
      try {
        step.stop().stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        LOG.debug("stopping {}: {}", step.name(), e.toString());
      }
    }
  }
}
