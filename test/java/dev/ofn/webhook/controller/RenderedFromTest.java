package dev.ofn.webhook.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.defaulting.FunctionContext;
import dev.ofn.webhook.defaulting.FunctionDefaulter;
import dev.ofn.webhook.defaulting.GatewayDefaulter;
import dev.ofn.webhook.gateways.OfnGateway;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class RenderedFromTest {
  final OfnGateway before = gateway("ofn.io", 1);
  final OfnGateway after = gateway("1.2.3.4.sslip.io", 2);

  static OfnGateway gateway(String domain, long generation) {
    ObjectNode tree = Fixtures.load("default-gateway.yaml");
    ((ObjectNode) tree.path("spec")).put("domain", domain);
    ((ObjectNode) tree.path("metadata")).put("generation", generation);
    return OfnGateway.from(GatewayDefaulter.apply(tree));
  }

  static JsonNode admitted(String fixture, OfnGateway gateway) {
    return FunctionDefaulter.apply(
            Fixtures.load(fixture, "default"), FunctionContext.create("default", gateway))
        .object();
  }

  @Test
  void aFunctionWithStaleGeneratedFieldsIsTouchedOncePerGatewayGeneration() {
    JsonNode function = admitted("function-sample-serving-only.yaml", before);
    assertEquals(Optional.empty(), RenderedFrom.wanted(function, before), "current");
    assertEquals(Optional.of("openfunction/openfunction@2"), RenderedFrom.wanted(function, after));
    ObjectNode touched = (ObjectNode) function.deepCopy();
    ((ObjectNode) touched.path("metadata").path("annotations"))
        .put(RenderedFrom.ANNOTATION, "openfunction/openfunction@2");
    assertEquals(
        Optional.empty(),
        RenderedFrom.wanted(touched, after),
        "already touched for this generation");
  }

  @Test
  void userFieldsAreNeverTouched() {
    JsonNode keda =
        admitted("function-kedahttp-sample-serving.yaml", before); // its own hostnames and rules
    assertEquals(Optional.empty(), RenderedFrom.wanted(keda, after));
    JsonNode wasm =
        admitted("wasmedge-http-server.yaml", before); // generated hostnames, its own rules
    assertEquals(Optional.of("openfunction/openfunction@2"), RenderedFrom.wanted(wasm, after));
  }
}
