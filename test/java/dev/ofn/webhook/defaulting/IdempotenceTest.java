package dev.ofn.webhook.defaulting;

import static dev.ofn.webhook.defaulting.TestTrees.assertTree;
import static dev.ofn.webhook.defaulting.TestTrees.defaultGateway;
import static dev.ofn.webhook.defaulting.TestTrees.defaultGatewayWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofn.webhook.Fixtures;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

/** Defaulting twice = defaulting once, for every fixture and every kind of context. */
class IdempotenceTest {
  static final List<String> FUNCTIONS =
      List.of(
          "function-sample-serving-only.yaml",
          "function-kedahttp-sample-serving.yaml",
          "wasmedge-http-server.yaml");

  static Stream<Arguments> functionContexts() {
    return FUNCTIONS.stream()
        .flatMap(
            file -> {
              ObjectNode stored =
                  FunctionDefaulter.apply(
                          Fixtures.load(file, "default"),
                          FunctionContext.create("default", defaultGateway()))
                      .object();
              return Stream.of(
                  Arguments.of(file, "CREATE", FunctionContext.create("default", defaultGateway())),
                  Arguments.of(
                      file,
                      "CREATE, parity only",
                      new FunctionContext("default", null, Optional.of(defaultGateway()), false)),
                  Arguments.of(
                      file,
                      "CREATE, gateway not found",
                      new FunctionContext("default", null, Optional.empty(), true)),
                  Arguments.of(
                      file,
                      "UPDATE of the stored object",
                      FunctionContext.update("default", stored, defaultGateway())),
                  Arguments.of(
                      file,
                      "UPDATE after a domain change",
                      FunctionContext.update(
                          "default", stored, defaultGatewayWith("domain", "example.com"))),
                  Arguments.of(
                      file,
                      "UPDATE of an object stored before the webhook",
                      FunctionContext.update(
                          "default", Fixtures.load(file, "default"), defaultGateway())));
            });
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("functionContexts")
  void functionTwiceIsOnce(String file, String label, FunctionContext context) {
    DefaultingResult once = FunctionDefaulter.apply(Fixtures.load(file, "default"), context);
    DefaultingResult twice = FunctionDefaulter.apply(once.object(), context);
    assertTree(once.object(), twice.object());
    assertEquals(once.warnings(), twice.warnings());
  }

  /**
   * Re-applying an unchanged manifest (object == oldObject, both defaulted) writes nothing and
   * warns of nothing.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "function-sample-serving-only.yaml",
        "function-kedahttp-sample-serving.yaml",
        "wasmedge-http-server.yaml"
      })
  void unchangedUpdateChangesNothing(String file) {
    ObjectNode stored =
        FunctionDefaulter.apply(
                Fixtures.load(file, "default"), FunctionContext.create("default", defaultGateway()))
            .object();
    DefaultingResult result =
        FunctionDefaulter.apply(
            stored.deepCopy(), FunctionContext.update("default", stored, defaultGateway()));
    assertTree(stored, result.object());
    assertEquals(List.of(), result.warnings());
  }

  @ParameterizedTest
  @ValueSource(strings = {"default-gateway.yaml"})
  void gatewayTwiceIsOnce(String file) {
    ObjectNode once = GatewayDefaulter.apply(Fixtures.load(file));
    assertTree(once, GatewayDefaulter.apply(once));
  }
}
