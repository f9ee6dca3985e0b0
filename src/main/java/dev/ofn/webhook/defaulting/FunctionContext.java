package dev.ofn.webhook.defaulting;

import dev.ofn.webhook.gateways.OfnGateway;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * What the Function defaulter needs besides the object.
 *
 * @param namespace the request's namespace (the object may carry none on CREATE)
 * @param oldObject the stored object on UPDATE; null on CREATE
 * @param gateway the OFN Gateway of {@code FunctionRoute.gatewayRef}; empty = not found
 * @param persistGeneratedRoute whether route hostnames/rules are written into the spec
 *     (docs/behaviour.md §4 beyond)
 */
public record FunctionContext(
    String namespace,
    JsonNode oldObject,
    Optional<OfnGateway> gateway,
    boolean persistGeneratedRoute) {

  public FunctionContext {
    gateway = gateway == null ? Optional.empty() : gateway;
  }

  /** A CREATE in {@code namespace} with the route generated from {@code gateway}. */
  public static FunctionContext create(String namespace, OfnGateway gateway) {
    return new FunctionContext(namespace, null, Optional.ofNullable(gateway), true);
  }

  /** An UPDATE of {@code oldObject} with the route generated from {@code gateway}. */
  public static FunctionContext update(String namespace, JsonNode oldObject, OfnGateway gateway) {
    return new FunctionContext(namespace, oldObject, Optional.ofNullable(gateway), true);
  }

  public boolean isUpdate() {
    return oldObject != null && oldObject.isObject();
  }
}
