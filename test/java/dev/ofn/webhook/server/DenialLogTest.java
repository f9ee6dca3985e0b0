package dev.ofn.webhook.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.admission.AdmissionRequest;
import dev.ofn.webhook.json.Json;
import org.junit.jupiter.api.Test;

/** The parts of the denial line that are not the review's own fields. */
class DenialLogTest {
  private static AdmissionRequest create(String name, String objectYamlJson) {
    return new AdmissionRequest(
        "admission.k8s.io/v1",
        "uid",
        "CREATE",
        "default",
        name,
        "core.openfunction.io",
        "v1beta2",
        "Function",
        false,
        Json.MAPPER.readTree(objectYamlJson),
        null,
        null);
  }

  @Test
  void theNameFallsBackToTheObjectsThenToItsGenerateName() {
    assertEquals("a", DenialLog.name(create("a", "{\"metadata\":{\"name\":\"b\"}}")));
    assertEquals("b", DenialLog.name(create(null, "{\"metadata\":{\"name\":\"b\"}}")));
    assertEquals("fn-*", DenialLog.name(create("", "{\"metadata\":{\"generateName\":\"fn-\"}}")));
    assertEquals("", DenialLog.name(create(null, "{}")));
  }

  @Test
  void aMessageIsOneLineAndClipped() {
    assertEquals(
        "spec.a: Required value; spec.b: Invalid value",
        DenialLog.oneLine("spec.a: Required value\n  spec.b: Invalid value\n"));
    assertEquals("", DenialLog.oneLine(null));
    String clipped = DenialLog.clip("x".repeat(DenialLog.MAX_MESSAGE + 10));
    assertTrue(clipped.endsWith("x… (10 more characters)"), clipped);
    assertEquals("short", DenialLog.clip("short"));
  }
}
