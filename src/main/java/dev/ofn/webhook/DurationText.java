package dev.ofn.webhook;

import java.time.Duration;

/** Durations in log lines as they are written on the command line: {@code 10s}, not PT10S. */
public final class DurationText {
  private DurationText() {}

  /** {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1h}, {@code 90s}. */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis > 0 && millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis > 0 && millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return millis + "ms";
  }
}
