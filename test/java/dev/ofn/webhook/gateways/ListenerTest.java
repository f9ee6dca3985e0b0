package dev.ofn.webhook.gateways;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofn.webhook.json.Json;
import org.junit.jupiter.api.Test;

/** Listener trees of any shape read leniently: a bad port is no port, never an exception. */
class ListenerTest {
  @Test
  void aPortBeyond32BitsReadsAsNone() {
    Listener listener =
        Listener.from(Json.MAPPER.readTree("{\"name\":\"http\",\"port\":-8931191857975674093}"));
    assertEquals(0, listener.port());
    assertEquals("http", listener.name());
  }

  @Test
  void anOrdinaryPortIsKept() {
    assertEquals(8080, Listener.from(Json.MAPPER.readTree("{\"port\":8080}")).port());
  }
}
