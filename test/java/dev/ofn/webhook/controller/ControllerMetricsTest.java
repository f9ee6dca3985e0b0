package dev.ofn.webhook.controller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.PrometheusText;
import dev.ofn.webhook.server.Metrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Reconcile and work-queue metrics, under our names and controller-runtime's / client-go's: from a
 * real controller against the mock cluster, and from a work queue whose handler fails, asks for a
 * retry, then succeeds.
 */
class ControllerMetricsTest extends ControllerTestBase {
  @Test
  void aReconciledFunctionIsCountedPerController() {
    sampleServed();
    awaitQuiet();
    Map<String, Double> series = PrometheusText.parse(Metrics.text(replica.metrics));
    for (String name :
        new String[] {"ofn_webhook_reconcile_total", "controller_runtime_reconcile_total"}) {
      assertTrue(
          series.getOrDefault(name + "{controller=\"function\",result=\"success\"}", 0.0) >= 1,
          series.toString());
      assertTrue(
          series.getOrDefault(name + "{controller=\"gateway\",result=\"success\"}", 0.0) >= 1,
          series.toString());
    }
    assertTrue(series.get("workqueue_adds_total{name=\"function\"}") >= 1, series.toString());
    assertEquals(
        series.get("workqueue_adds_total{name=\"function\"}"),
        series.get("ofn_webhook_workqueue_adds_total{name=\"function\"}"));
    assertEquals(
        series.get("controller_runtime_reconcile_time_seconds_count{controller=\"function\"}"),
        series.get("ofn_webhook_reconcile_duration_seconds_count{controller=\"function\"}"));
    assertEquals(
        2.0, series.get("controller_runtime_max_concurrent_reconciles{controller=\"function\"}"));
    assertEquals(1.0, series.get("ofn_webhook_controller_max_workers{controller=\"gateway\"}"));
    for (String gauge :
        new String[] {
          "workqueue_depth{name=\"function\"}",
          "workqueue_unfinished_work_seconds{name=\"gateway\"}",
          "workqueue_longest_running_processor_seconds{name=\"function\"}",
          "controller_runtime_active_workers{controller=\"gateway\"}",
          "ofn_webhook_workqueue_depth{name=\"gateway\"}"
        }) {
      assertTrue(series.get(gauge) >= 0, gauge + " in " + series);
    }
  }

  @Test
  void failuresRetriesAndWaitsAreCounted() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    ControllerMetrics metrics = new ControllerMetrics(registry);
    ControllerMetrics.Hooks hooks = metrics.controller("test", 1);
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch holding = new CountDownLatch(1);
    try (WorkQueue<String> queue =
        new WorkQueue<>(
            "t",
            1,
            Duration.ofMillis(1),
            Duration.ofMillis(5),
            key -> {
              if (key.equals("slow")) {
                holding.countDown();
                return release.await(20, TimeUnit.SECONDS);
              }
              return switch (calls.incrementAndGet()) {
                case 1 -> throw new IllegalStateException("first try fails");
                case 2 -> false; // asks to be retried
                default -> true;
              };
            },
            hooks)) {
      hooks.bind(queue);
      queue.start();
      queue.add("slow");
      holding.await(20, TimeUnit.SECONDS);
      queue.add("k");
      queue.add("k"); // already waiting: not an add
      Map<String, Double> busy = PrometheusText.parse(Metrics.text(registry));
      assertEquals(1.0, busy.get("workqueue_depth{name=\"test\"}"), busy.toString());
      assertEquals(1.0, busy.get("controller_runtime_active_workers{controller=\"test\"}"));
      assertTrue(busy.get("workqueue_longest_running_processor_seconds{name=\"test\"}") > 0);
      release.countDown();
      await().atMost(Duration.ofSeconds(20)).until(() -> calls.get() >= 3 && queue.idle());
    }
    Map<String, Double> series = PrometheusText.parse(Metrics.text(registry));
    // "slow", "k", then "k" twice more after its backoffs
    assertEquals(4.0, series.get("workqueue_adds_total{name=\"test\"}"), series.toString());
    assertEquals(2.0, series.get("workqueue_retries_total{name=\"test\"}"));
    assertEquals(4.0, series.get("workqueue_work_duration_seconds_count{name=\"test\"}"));
    assertEquals(
        4.0, series.get("ofn_webhook_workqueue_queue_duration_seconds_count{name=\"test\"}"));
    assertEquals(0.0, series.get("workqueue_depth{name=\"test\"}"));
    assertEquals(0.0, series.get("workqueue_unfinished_work_seconds{name=\"test\"}"));
  }
}
