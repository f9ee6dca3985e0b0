package dev.ofn.webhook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofn.webhook.Fixtures;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Traffic split through {@code webhook check}: references resolve among the files given (a missing
 * one is a warning, not a denial), and a backend in another namespace is refused with its field.
 */
class SplitCheckTest {
  static String fixture(String name) {
    return Fixtures.dir().resolveSibling("e2e/fixtures").resolve(name).toString();
  }

  @Test
  void aReferenceToAFunctionNotGivenIsAWarning() {
    MainTest.Run run = MainTest.run(Map.of(), "check", "-f", fixture("split-fn-v1.yaml"));
    assertEquals(
        fixture("split-fn-v1.yaml")
            + ": Function default/fn-v1: warning: rules[0].backendRefs[1]: Function default/fn-v2"
            + " does not exist yet; its weight is not routed until it does",
        run.out().strip(),
        run.err());
    assertEquals(0, run.code());
  }

  @Test
  void aReferenceResolvesAmongTheFilesGiven() {
    MainTest.Run run =
        MainTest.run(
            Map.of(),
            "check",
            "-f",
            fixture("split-fn-v2.yaml"),
            "-f",
            fixture("split-fn-v1.yaml"));
    assertEquals("", run.out().strip(), run.err());
    assertEquals(0, run.code());
  }

  @Test
  void aReferenceToAFunctionWithoutHttpTriggerIsAWarning(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path v2 = dir.resolve("fn-v2.yaml");
    java.nio.file.Files.writeString(
        v2,
        """
        apiVersion: core.openfunction.io/v1beta2
        kind: Function
        metadata: {name: fn-v2}
        spec:
          image: openfunctiondev/v1beta1-http:latest
          serving:
            triggers:
              dapr: [{name: kafka-receiver, type: bindings.kafka}]
        """);
    MainTest.Run run =
        MainTest.run(Map.of(), "check", "-f", v2.toString(), "-f", fixture("split-fn-v1.yaml"));
    assertEquals(
        fixture("split-fn-v1.yaml")
            + ": Function default/fn-v1: warning: rules[0].backendRefs[1]: Function default/fn-v2"
            + " has no http trigger; its weight is not routed",
        run.out().strip(),
        run.err());
  }

  @Test
  void aBackendInAnotherNamespaceIsRefused() {
    MainTest.Run run = MainTest.run(Map.of(), "check", "-f", fixture("split-other-namespace.yaml"));
    assertEquals(
        fixture("split-other-namespace.yaml")
            + ": Function default/fn-cross:"
            + " spec.serving.triggers.http.route.rules[0].backendRefs[0].namespace: Invalid value:"
            + " \"team-b\": must be the Function's own namespace (default): a route sends only to"
            + " Functions beside it",
        run.out().strip(),
        run.err());
    assertEquals(1, run.code());
  }
}
