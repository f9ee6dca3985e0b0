package dev.ofn.webhook.controller;

import static dev.ofn.webhook.controller.MockCluster.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.json.Json;
import org.junit.jupiter.api.Test;

class DriftTest {
  @Test
  void storedObjectsWithServerDefaultsCoverWhatWeWrote() {
    assertTrue(
        Drift.covers(
            yaml(
                "{type: ExternalName, externalName: a.b, sessionAffinity: None, ports: [{name: x, port: 80, protocol: TCP, targetPort: 80}]}"),
            yaml(
                "{type: ExternalName, externalName: a.b, ports: [{name: x, port: 80, targetPort: 80}]}")));
  }

  @Test
  void aChangedValueAnExtraOrMissingItemIsDrift() {
    assertFalse(Drift.covers(yaml("{a: {b: 1}}"), yaml("{a: {b: 2}}")));
    assertFalse(Drift.covers(yaml("{a: [1, 2]}"), yaml("{a: [1]}")));
    assertFalse(Drift.covers(yaml("{a: [1]}"), yaml("{a: [1, 2]}")));
    assertFalse(Drift.covers(yaml("{}"), yaml("{a: x}")));
  }

  @Test
  void numbersCompareByValueAndEmptyIsAbsent() {
    assertTrue(Drift.same(Json.object().put("n", 2), Json.object().put("n", 2L)));
    assertTrue(Drift.same(yaml("{a: [], b: {}, c: null}"), yaml("{}")));
    assertFalse(Drift.same(yaml("{a: [x]}"), yaml("{}")));
  }

  @Test
  void theHashIgnoresKeyOrderAndNumberTypes() {
    assertEquals(
        Drift.hash(yaml("{a: 1, b: {c: 2, d: 3}}")), Drift.hash(yaml("{b: {d: 3, c: 2.0}, a: 1}")));
    assertNotEquals(Drift.hash(yaml("{a: [1, 2]}")), Drift.hash(yaml("{a: [2, 1]}")));
    assertEquals(16, Drift.hash(yaml("{}")).length());
  }
}
