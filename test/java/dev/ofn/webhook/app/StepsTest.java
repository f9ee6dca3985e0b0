package dev.ofn.webhook.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one stop order of {@code webhook serve}: newest first, every step, once. */
class StepsTest {
  @Test
  void stopsInReverseEvenWhenOneFailsAndOnlyOnce() {
    List<String> stopped = new ArrayList<>();
    Steps steps = new Steps();
    steps.started("client", () -> stopped.add("client"));
    steps.started("informers", () -> stopped.add("informers"));
    steps.started(
        "registration",
        () -> {
          stopped.add("registration");
          throw new IllegalStateException("API server gone");
        });
    steps.started("listeners", () -> stopped.add("listeners"));

    steps.stopAll();
    steps.stopAll();

    assertEquals(List.of("listeners", "registration", "informers", "client"), stopped);
  }
}
