package dev.ofn.webhook.server;

import dev.ofn.webhook.BuildInfo;
import dev.ofn.webhook.admission.AdmissionRequest;
import dev.ofn.webhook.admission.AdmissionResponse;
import dev.ofn.webhook.admission.Endpoint;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Prometheus metrics of the process (its own registry), served on {@code /metrics}: the admission
 * requests, under our names and under controller-runtime's ({@code controller_runtime_webhook_*},
 * see docs/metrics.md), route conflicts, JVM and process metrics, the build, and the gauges and
 * controller metrics registered by others.
 */
public final class Metrics implements RequestObserver {
  /** The operations an {@code operation} label takes; anything else counts as {@code unknown}. */
  static final List<String> OPERATIONS = List.of("CREATE", "UPDATE", "DELETE", "CONNECT");

  static final String UNKNOWN = "unknown";

  /** CREATE, UPDATE, DELETE: their series exist from the start. */
  private static final int PRESET_OPERATIONS = 3;

  /** controller-runtime's webhook latency buckets (Prometheus' default buckets). */
  private static final double[] CONTROLLER_RUNTIME_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests =
      Counter.builder()
          .name("ofn_webhook_requests_total")
          .help(
              "Admission requests by endpoint, operation and outcome (allowed, patched, denied, error, or an HTTP status)")
          .labelNames("endpoint", "operation", "outcome")
          .register(registry);
  private final Histogram latency =
      Histogram.builder()
          .name("ofn_webhook_request_duration_seconds")
          .help("Time from decoded body to encoded answer, per endpoint")
          .labelNames("endpoint")
          // fine below 1 ms, where a warm server answers: the benchmarks read p50s from these
          .classicUpperBounds(
              0.00005, 0.0001, 0.00015, 0.0002, 0.0003, 0.0004, 0.0005, 0.00075, 0.001, 0.0015,
              0.0025, 0.005, 0.01, 0.025, 0.1, 1)
          .register(registry);
  private final Gauge inFlight =
      Gauge.builder()
          .name("ofn_webhook_requests_in_flight")
          .help("Admission requests being answered, per endpoint")
          .labelNames("endpoint")
          .register(registry);
  private final Counter routeConflicts =
      Counter.builder()
          .name("ofn_webhook_route_conflicts_total")
          .help(
              "Denials that name at least one route conflict (a route key already routed by another"
                  + " object, or twice by the same one), by kind of the denied object")
          .labelNames("kind")
          .register(registry);
  private final Counter crRequests =
      Counter.builder()
          .name("controller_runtime_webhook_requests_total")
          .help("Total number of admission requests by HTTP status code (controller-runtime name)")
          .labelNames("webhook", "code")
          .register(registry);
  private final Histogram crLatency =
      Histogram.builder()
          .name("controller_runtime_webhook_latency_seconds")
          .help(
              "Histogram of the latency of processing admission requests (controller-runtime name)")
          .labelNames("webhook")
          .classicUpperBounds(CONTROLLER_RUNTIME_BUCKETS)
          .register(registry);
  private final Gauge crInFlight =
      Gauge.builder()
          .name("controller_runtime_webhook_requests_in_flight")
          .help("Current number of admission requests being served (controller-runtime name)")
          .labelNames("webhook")
          .register(registry);

  /**
   * Each endpoint's series, resolved once: the per-request path does no label lookup, and each
   * series is exported from the start (at 0), so rate() and absent-series alerts work at once.
   */
  private final Map<Endpoint, Series> series = new EnumMap<>(Endpoint.class);

  private boolean jvmRegistered;

  private final class Series {
    /** [operation][outcome ordinal] for the operations the webhook configurations register. */
    final CounterDataPoint[][] answers;

    final DistributionDataPoint duration;
    final DistributionDataPoint crDuration;
    final GaugeDataPoint running;
    final GaugeDataPoint crRunning;
    final CounterDataPoint crAnswered;
    final CounterDataPoint conflicts;

    Series(Endpoint endpoint) {
      AdmissionResponse.Outcome[] outcomes = AdmissionResponse.Outcome.values();
      answers = new CounterDataPoint[PRESET_OPERATIONS][outcomes.length];
      for (int op = 0; op < PRESET_OPERATIONS; op++) {
        for (AdmissionResponse.Outcome outcome : outcomes) {
          answers[op][outcome.ordinal()] =
              requests.labelValues(endpoint.webhookName, OPERATIONS.get(op), label(outcome));
        }
      }
      duration = latency.labelValues(endpoint.webhookName);
      crDuration = crLatency.labelValues(endpoint.path);
      running = inFlight.labelValues(endpoint.webhookName);
      crRunning = crInFlight.labelValues(endpoint.path);
      crAnswered = crRequests.labelValues(endpoint.path, "200");
      conflicts = routeConflicts.labelValues(kind(endpoint));
    }

    CounterDataPoint answer(
        Endpoint endpoint, String operation, AdmissionResponse.Outcome outcome) {
      int op = operation == null ? -1 : OPERATIONS.indexOf(operation);
      return op >= 0 && op < PRESET_OPERATIONS
          ? answers[op][outcome.ordinal()]
          : requests.labelValues(
              endpoint.webhookName, op < 0 ? UNKNOWN : OPERATIONS.get(op), label(outcome));
    }
  }

  private static String label(AdmissionResponse.Outcome outcome) {
    return outcome.name().toLowerCase(Locale.ROOT);
  }

  public Metrics() {
    for (Endpoint endpoint : Endpoint.values()) {
      series.put(endpoint, new Series(endpoint));
    }
    Info.builder()
        .name("ofn_webhook_build_info")
        .help("The running build: its version (the pom's) and the Java runtime")
        .labelNames("version", "java_version")
        .register(registry)
        .setLabelValues(BuildInfo.version(), Runtime.version().toString());
  }

  /** The registry, for metrics defined elsewhere (the controller's). */
  public PrometheusRegistry registry() {
    return registry;
  }

  @Override
  public void started(Endpoint endpoint) {
    Series s = series.get(endpoint);
    s.running.inc();
    s.crRunning.inc();
  }

  @Override
  public void answered(
      Endpoint endpoint, AdmissionRequest request, AdmissionResponse response, long nanos) {
    Series s = series.get(endpoint);
    s.answer(endpoint, request.operation(), response.outcome()).inc();
    s.duration.observe(nanos / 1e9);
    s.crDuration.observe(nanos / 1e9);
    s.crAnswered.inc();
    if (!response.allowed() && response.routeConflicts() > 0) {
      s.conflicts.inc();
    }
    s.running.dec();
    s.crRunning.dec();
  }

  @Override
  public void rejected(Endpoint endpoint, int httpStatus) {
    Series s = series.get(endpoint);
    requests.labelValues(endpoint.webhookName, UNKNOWN, "http_" + httpStatus).inc();
    crRequests.labelValues(endpoint.path, Integer.toString(httpStatus)).inc();
    s.running.dec();
    s.crRunning.dec();
  }

  /** The kind an endpoint admits (the request's own kind is the client's to choose). */
  static String kind(Endpoint endpoint) {
    return switch (endpoint) {
      case MUTATE_FUNCTION, VALIDATE_FUNCTION -> "Function";
      case MUTATE_GATEWAY, VALIDATE_GATEWAY -> "Gateway";
      case VALIDATE_HTTPROUTE -> "HTTPRoute";
      case VALIDATE_GRPCROUTE -> "GRPCRoute";
    };
  }

  /** A gauge read when scraped (index size, certificate expiry, informer sync state). */
  public void gauge(String name, String help, DoubleSupplier value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(value.getAsDouble()))
        .register(registry);
  }

  /** A gauge with one label, e.g. informer sync state per resource. */
  public void gauge(String name, String help, String label, Supplier<Map<String, Double>> values) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames(label)
        .callback(cb -> values.get().forEach((key, value) -> cb.call(value, key)))
        .register(registry);
  }

  public String scrape() {
    registerJvmMetrics();
    return text(registry);
  }

  /**
   * The standard {@code jvm_*} and {@code process_*} series, registered by the first scrape rather
   * than at start: registering them loads ~300 classes of java.management and JFR's MXBean, work
   * that would otherwise stand between the start and readiness. Their values are read at each
   * scrape anyway.
   */
  private synchronized void registerJvmMetrics() {
    if (!jvmRegistered) {
      JvmMetrics.builder().register(registry);
      jvmRegistered = true;
    }
  }

  /** A registry's metrics in the Prometheus text format. */
  public static String text(PrometheusRegistry registry) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.ALLOW_UTF8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
