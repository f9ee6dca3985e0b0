package dev.ofn.webhook;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads what {@code /metrics} serves. */
public final class PrometheusText {
  private PrometheusText() {}

  /**
   * Prometheus text format: {@code name{labels} value} per sample line, comments skipped, in order.
   */
  public static Map<String, Double> parse(String text) {
    Map<String, Double> series = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return series;
  }
}
