package dev.ofn.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Log lines show durations as the flags take them. */
class DurationTextTest {
  @Test
  void writtenAsOnTheCommandLine() {
    assertEquals("10s", DurationText.format(Duration.ofSeconds(10)));
    assertEquals("90s", DurationText.format(Duration.ofSeconds(90)));
    assertEquals("2m", DurationText.format(Duration.ofMinutes(2)));
    assertEquals("1h", DurationText.format(Duration.ofHours(1)));
    assertEquals("500ms", DurationText.format(Duration.ofMillis(500)));
    assertEquals("0s", DurationText.format(Duration.ZERO));
  }
}
