package dev.ofn.webhook.controller;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The controller's metrics, per controller ({@code function}, {@code gateway}): reconciles by
 * result, errors and durations, and the work queues' metrics. Each is exported under our name
 * ({@code ofn_webhook_reconcile_*}, {@code ofn_webhook_workqueue_*}) and under controller-runtime's
 * and client-go's ({@code controller_runtime_reconcile_*}, {@code controller_runtime_*_workers},
 * {@code workqueue_*}), with their labels and buckets, so that existing dashboards work
 * (docs/metrics.md).
 */
public final class ControllerMetrics {
  /** Reconcile results, as controller-runtime labels them. */
  enum Result {
    SUCCESS,
    ERROR,
    REQUEUE;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static final double[] RECONCILE_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60
  };

  /** controller-runtime's reconcile_time_seconds buckets. */
  private static final double[] CONTROLLER_RUNTIME_RECONCILE_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9,
    1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50,
    60
  };

  /** client-go's work queue duration buckets: 10 ns to 10 s, one per decade. */
  private static final double[] QUEUE_BUCKETS = {
    1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10
  };

  private final Map<String, WorkQueue<?>> queues = new ConcurrentHashMap<>();
  private final Map<String, Integer> workers = new ConcurrentHashMap<>();
  private final Counter reconciles;
  private final Counter errors;
  private final Histogram reconcileTime;
  private final Counter crReconciles;
  private final Counter crErrors;
  private final Histogram crReconcileTime;
  private final Counter adds;
  private final Counter retries;
  private final Histogram queueDuration;
  private final Histogram workDuration;
  private final Counter crAdds;
  private final Counter crRetries;
  private final Histogram crQueueDuration;
  private final Histogram crWorkDuration;

  public ControllerMetrics(PrometheusRegistry registry) {
    reconciles =
        counter(
            registry,
            "ofn_webhook_reconcile_total",
            "Reconciles by controller and result (success, error, requeue); the leader's only",
            "controller",
            "result");
    errors =
        counter(
            registry,
            "ofn_webhook_reconcile_errors_total",
            "Reconciles that failed (retried with backoff), by controller",
            "controller");
    reconcileTime =
        histogram(
            registry,
            "ofn_webhook_reconcile_duration_seconds",
            "Time of one reconcile, by controller",
            RECONCILE_BUCKETS,
            "controller");
    crReconciles =
        counter(
            registry,
            "controller_runtime_reconcile_total",
            "Total number of reconciliations per controller (controller-runtime name)",
            "controller",
            "result");
    crErrors =
        counter(
            registry,
            "controller_runtime_reconcile_errors_total",
            "Total number of reconciliation errors per controller (controller-runtime name)",
            "controller");
    crReconcileTime =
        histogram(
            registry,
            "controller_runtime_reconcile_time_seconds",
            "Length of time per reconciliation per controller (controller-runtime name)",
            CONTROLLER_RUNTIME_RECONCILE_BUCKETS,
            "controller");
    adds =
        counter(
            registry,
            "ofn_webhook_workqueue_adds_total",
            "Keys added to a work queue (an add of a key already waiting is not counted)",
            "name");
    retries =
        counter(
            registry,
            "ofn_webhook_workqueue_retries_total",
            "Keys put back on a work queue after a backoff (failed or requeued)",
            "name");
    queueDuration =
        histogram(
            registry,
            "ofn_webhook_workqueue_queue_duration_seconds",
            "Time a key waits in a work queue before a worker takes it",
            QUEUE_BUCKETS,
            "name");
    workDuration =
        histogram(
            registry,
            "ofn_webhook_workqueue_work_duration_seconds",
            "Time a worker spends on a key",
            QUEUE_BUCKETS,
            "name");
    crAdds =
        counter(
            registry,
            "workqueue_adds_total",
            "Total number of adds handled by workqueue (client-go name)",
            "name");
    crRetries =
        counter(
            registry,
            "workqueue_retries_total",
            "Total number of retries handled by workqueue (client-go name)",
            "name");
    crQueueDuration =
        histogram(
            registry,
            "workqueue_queue_duration_seconds",
            "How long in seconds an item stays in workqueue before being requested (client-go name)",
            QUEUE_BUCKETS,
            "name");
    crWorkDuration =
        histogram(
            registry,
            "workqueue_work_duration_seconds",
            "How long in seconds processing an item from workqueue takes (client-go name)",
            QUEUE_BUCKETS,
            "name");

    queueGauge(
        registry,
        "Keys waiting in a work queue (not those being worked on)",
        "Current depth of workqueue (client-go name)",
        "depth",
        WorkQueue::queued);
    queueGauge(
        registry,
        "Seconds of work in progress that no duration histogram has seen yet (stuck workers grow it)",
        "How many seconds of work has done that is in progress and hasn't been observed by"
            + " work_duration (client-go name)",
        "unfinished_work_seconds",
        queue -> queue.unfinishedWorkSeconds(System.nanoTime()));
    queueGauge(
        registry,
        "Seconds the longest-running worker of a work queue has been at its key",
        "How many seconds has the longest running processor for workqueue been running (client-go"
            + " name)",
        "longest_running_processor_seconds",
        queue -> queue.longestRunningSeconds(System.nanoTime()));
    controllerGauge(
        registry,
        "ofn_webhook_controller_active_workers",
        "Workers reconciling right now, by controller",
        queues,
        queue -> queue.active());
    controllerGauge(
        registry,
        "controller_runtime_active_workers",
        "Number of currently used workers per controller (controller-runtime name)",
        queues,
        queue -> queue.active());
    controllerGauge(
        registry,
        "ofn_webhook_controller_max_workers",
        "Workers of a controller (at most this many keys are reconciled at once)",
        workers,
        Integer::doubleValue);
    controllerGauge(
        registry,
        "controller_runtime_max_concurrent_reconciles",
        "Maximum number of concurrent reconciles per controller (controller-runtime name)",
        workers,
        Integer::doubleValue);
  }

  /** The hooks of one controller and its queue; the queue's gauges are read from it once bound. */
  Hooks controller(String name, int workerCount) {
    workers.put(name, workerCount);
    return new Hooks(name);
  }

  /** What a controller (its reconcile wrapper) and its work queue report. */
  final class Hooks implements WorkQueue.Observer {
    private final String name;
    private final CounterDataPoint add;
    private final CounterDataPoint crAdd;
    private final CounterDataPoint retry;
    private final CounterDataPoint crRetry;
    private final DistributionDataPoint queued;
    private final DistributionDataPoint crQueued;
    private final DistributionDataPoint worked;
    private final DistributionDataPoint crWorked;
    private final DistributionDataPoint time;
    private final DistributionDataPoint crTime;
    private final CounterDataPoint error;
    private final CounterDataPoint crError;
    private final Map<Result, CounterDataPoint> results = new EnumMap<>(Result.class);
    private final Map<Result, CounterDataPoint> crResults = new EnumMap<>(Result.class);

    private Hooks(String name) {
      this.name = name;
      add = adds.labelValues(name);
      crAdd = crAdds.labelValues(name);
      retry = retries.labelValues(name);
      crRetry = crRetries.labelValues(name);
      queued = queueDuration.labelValues(name);
      crQueued = crQueueDuration.labelValues(name);
      worked = workDuration.labelValues(name);
      crWorked = crWorkDuration.labelValues(name);
      time = reconcileTime.labelValues(name);
      crTime = crReconcileTime.labelValues(name);
      error = errors.labelValues(name);
      crError = crErrors.labelValues(name);
      for (Result result : Result.values()) {
        results.put(result, reconciles.labelValues(name, result.label()));
        crResults.put(result, crReconciles.labelValues(name, result.label()));
      }
    }

    /** The queue whose depth and running work the gauges read. */
    void bind(WorkQueue<?> queue) {
      queues.put(name, queue);
    }

    void reconciled(Result result, long nanos) {
      results.get(result).inc();
      crResults.get(result).inc();
      time.observe(nanos / 1e9);
      crTime.observe(nanos / 1e9);
      if (result == Result.ERROR) {
        error.inc();
        crError.inc();
      }
    }

    @Override
    public void added() {
      add.inc();
      crAdd.inc();
    }

    @Override
    public void retried() {
      retry.inc();
      crRetry.inc();
    }

    @Override
    public void taken(long queuedNanos) {
      queued.observe(queuedNanos / 1e9);
      crQueued.observe(queuedNanos / 1e9);
    }

    @Override
    public void done(long workNanos) {
      worked.observe(workNanos / 1e9);
      crWorked.observe(workNanos / 1e9);
    }
  }

  private void queueGauge(
      PrometheusRegistry registry,
      String help,
      String clientGoHelp,
      String suffix,
      ToDoubleFunction<WorkQueue<?>> value) {
    controllerGauge(registry, "ofn_webhook_workqueue_" + suffix, help, "name", queues, value);
    controllerGauge(registry, "workqueue_" + suffix, clientGoHelp, "name", queues, value);
  }

  private static <T> void controllerGauge(
      PrometheusRegistry registry,
      String name,
      String help,
      Map<String, T> sources,
      ToDoubleFunction<T> value) {
    controllerGauge(registry, name, help, "controller", sources, value);
  }

  private static <T> void controllerGauge(
      PrometheusRegistry registry,
      String name,
      String help,
      String label,
      Map<String, T> sources,
      ToDoubleFunction<T> value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames(label)
        .callback(cb -> sources.forEach((key, source) -> cb.call(value.applyAsDouble(source), key)))
        .register(registry);
  }

  private static Counter counter(
      PrometheusRegistry registry, String name, String help, String... labels) {
    return Counter.builder().name(name).help(help).labelNames(labels).register(registry);
  }

  private static Histogram histogram(
      PrometheusRegistry registry, String name, String help, double[] bounds, String... labels) {
    return Histogram.builder()
        .name(name)
        .help(help)
        .labelNames(labels)
        .classicOnly()
        .classicUpperBounds(bounds)
        .register(registry);
  }
}
