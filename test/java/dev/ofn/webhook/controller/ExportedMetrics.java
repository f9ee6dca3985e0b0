package dev.ofn.webhook.controller;

import dev.ofn.webhook.server.Metrics;
import java.time.Duration;

/**
 * A scrape of the server's and the controller's metrics with both controllers registered (their
 * series exist only once a controller is), for tests outside this package that check metric names.
 */
public final class ExportedMetrics {
  private ExportedMetrics() {}

  public static String scrape() {
    Metrics metrics = new Metrics();
    ControllerMetrics controllers = new ControllerMetrics(metrics.registry());
    for (String name : new String[] {"function", "gateway"}) {
      ControllerMetrics.Hooks hooks = controllers.controller(name, 1);
      WorkQueue<String> queue =
          new WorkQueue<>(name, 1, Duration.ofMillis(1), Duration.ofMillis(5), key -> true, hooks);
      hooks.bind(queue);
      queue.close();
    }
    return metrics.scrape();
  }
}
