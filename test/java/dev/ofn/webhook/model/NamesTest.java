package dev.ofn.webhook.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofn.webhook.json.Json;
import org.junit.jupiter.api.Test;

/** Kinds are recognised by kind and API group, any version; annotation keys are spelt once. */
class NamesTest {
  @Test
  void aKindIsItsNameInItsGroupAtAnyVersion() {
    assertEquals(
        true,
        Names.isFunction(
            Json.YAML.readTree("{apiVersion: core.openfunction.io/v1beta1, kind: Function}")));
    assertEquals(
        false,
        Names.isFunction(
            Json.YAML.readTree("{apiVersion: core.openfunction.io.evil/v1, kind: Function}")));
    assertEquals(
        false,
        Names.isFunction(
            Json.YAML.readTree("{apiVersion: core.openfunction.io/v1beta2, kind: function}")));
    assertEquals(
        true,
        Names.isOfnGateway(
            Json.YAML.readTree(
                "{apiVersion: networking.openfunction.io/v1alpha1, kind: Gateway}")));
    assertEquals(
        true,
        Names.isHttpRoute(
            Json.YAML.readTree(
                "{apiVersion: gateway.networking.k8s.io/v1beta1, kind: HTTPRoute}")));
    assertEquals(false, Names.isHttpRoute(null));
  }

  @Test
  void theAnnotationKeysAreTheDocumentedOnes() {
    assertEquals(
        "networking.openfunction.io/hostname-ownership", Names.HOSTNAME_OWNERSHIP_ANNOTATION);
    assertEquals(
        "networking.openfunction.io/allowed-hostnames", Names.ALLOWED_HOSTNAMES_ANNOTATION);
    assertEquals("networking.openfunction.io/generated-route", Names.GENERATED_ROUTE_ANNOTATION);
    assertEquals("core.openfunction.io/v1beta2", Names.FUNCTION_API_VERSION);
  }
}
