package dev.ofn.webhook.bench;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.cli.TestServer;
import dev.ofn.webhook.defaulting.FunctionContext;
import dev.ofn.webhook.defaulting.FunctionDefaulter;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.gateways.StaticGatewayCatalog;
import dev.ofn.webhook.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The benchmark's request bodies, from the shared fixtures: what the apiserver sends each webhook for
 * {@code kubectl apply -f function-sample-serving-only.yaml}. {@code main(DIR)} writes
 * {@code mutate_function.json} (the sample as written), {@code validate_function.json} (the sample
 * after defaulting, as the validating webhook receives it) and {@code validate_httproute.json} (the
 * HTTPRoute of that Function, {@code test/bench/httproute.yaml}).
 */
public final class ReviewBodies {
  private final ObjectNode sample = Fixtures.load("function-sample-serving-only.yaml", "default");

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    ReviewBodies bodies = new ReviewBodies();
    Files.write(dir.resolve("mutate_function.json"), review(bodies.sample));
    Files.write(dir.resolve("validate_function.json"), review(defaulted(bodies.sample)));
    JsonNode route = Json.YAML.readTree(Files.readString(Path.of(args.length > 1 ? args[1] : "test/bench/httproute.yaml")));
    Files.write(dir.resolve("validate_httproute.json"), review(route));
  }

  /** A CREATE review of a distinct defaulted Function: {@code bench-<i>} in one of 100 namespaces, own hostname. */
  byte[] create(int i) {
    ObjectNode function = sample.deepCopy();
    function.withObject("/metadata").put("name", "bench-" + i).put("namespace", "bench-" + (i % 100));
    return review(defaulted(function));
  }

  private static ObjectNode defaulted(ObjectNode function) {
    String namespace = function.path("metadata").path("namespace").asString("default");
    Optional<OfnGateway> gateway = FunctionDefaulter.gatewayRef(function).flatMap(StaticGatewayCatalog.builtIn()::ofnGateway);
    return (ObjectNode) FunctionDefaulter.apply(function, new FunctionContext(namespace, null, gateway, true)).object();
  }

  private static byte[] review(JsonNode object) {
    return Json.MAPPER.writeValueAsBytes(TestServer.reviewOf("CREATE", object, null));
  }
}
