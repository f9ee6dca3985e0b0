package dev.ofn.webhook.admission;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Prometheus metrics of the process (its own registry, no JVM-global state), served on {@code
 * /metrics}.
 */
public final class Metrics implements RequestObserver {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests =
      Counter.builder()
          .name("ofn_webhook_requests_total")
          .help(
              "Admission requests by endpoint and outcome (allowed, patched, denied, error, or an HTTP status)")
          .labelNames("endpoint", "outcome")
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

  /**
   * Every endpoint × outcome series, resolved once: the per-request path does no label lookup, and
   * each series is exported from the start (at 0), so rate() and absent-series alerts work at once.
   */
  private final Map<Endpoint, CounterDataPoint[]> answers = new EnumMap<>(Endpoint.class);

  private final Map<Endpoint, DistributionDataPoint> durations = new EnumMap<>(Endpoint.class);

  public Metrics() {
    for (Endpoint endpoint : Endpoint.values()) {
      AdmissionResponse.Outcome[] outcomes = AdmissionResponse.Outcome.values();
      CounterDataPoint[] points = new CounterDataPoint[outcomes.length];
      for (AdmissionResponse.Outcome outcome : outcomes) {
        points[outcome.ordinal()] =
            requests.labelValues(endpoint.webhookName, outcome.name().toLowerCase(Locale.ROOT));
      }
      answers.put(endpoint, points);
      durations.put(endpoint, latency.labelValues(endpoint.webhookName));
    }
  }

  @Override
  public void answered(Endpoint endpoint, AdmissionResponse.Outcome outcome, long nanos) {
    answers.get(endpoint)[outcome.ordinal()].inc();
    durations.get(endpoint).observe(nanos / 1e9);
  }

  @Override
  public void rejected(Endpoint endpoint, int httpStatus) {
    requests.labelValues(endpoint.webhookName, "http_" + httpStatus).inc();
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
  public void gauge(
      String name,
      String help,
      String label,
      java.util.function.Supplier<java.util.Map<String, Double>> values) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames(label)
        .callback(cb -> values.get().forEach((key, value) -> cb.call(value, key)))
        .register(registry);
  }

  public String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.ALLOW_UTF8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
