package dev.ofn.webhook.gateways;

import dev.ofn.webhook.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * An OpenFunction Gateway read with its CRD defaults applied: what route rendering, derivation and
 * conflict keys need. {@code k8sGateway} is the referenced (gatewayRef) or defined (gatewayDef)
 * Gateway API gateway.
 */
public record OfnGateway(
    NamespacedName id,
    long generation,
    String domain,
    String clusterDomain,
    String hostTemplate,
    String pathTemplate,
    String httpRouteLabelKey,
    NamespacedName k8sGateway,
    List<Listener> listeners,
    JsonNode source) {

  /** The API group of OFN Gateways. */
  public static final String GROUP = "networking.openfunction.io";

  public static final String INTERNAL_LISTENER = "ofn-http-internal";
  public static final String DEFAULT_CLUSTER_DOMAIN = "cluster.local";
  public static final String DEFAULT_HOST_TEMPLATE = "{{.Name}}.{{.Namespace}}.{{.Domain}}";
  public static final String DEFAULT_PATH_TEMPLATE = "{{.Namespace}}/{{.Name}}";
  public static final String DEFAULT_LABEL_KEY = "app.kubernetes.io/managed-by";

  /** Reads an OFN Gateway object tree; missing or mistyped fields take their CRD defaults. */
  public static OfnGateway from(JsonNode gateway) {
    String namespace = Json.stringOr(gateway, "default", "metadata", "namespace");
    String name = Json.stringOr(gateway, "", "metadata", "name");
    JsonNode spec = Json.at(gateway, "spec");
    NamespacedName k8s;
    if (Json.at(spec, "gatewayRef").isObject()) {
      k8s =
          new NamespacedName(
              Json.stringOr(spec, namespace, "gatewayRef", "namespace"),
              Json.stringOr(spec, "", "gatewayRef", "name"));
    } else {
      k8s =
          new NamespacedName(
              Json.stringOr(spec, namespace, "gatewayDef", "namespace"),
              Json.stringOr(spec, name, "gatewayDef", "name"));
    }
    List<Listener> listeners = new ArrayList<>();
    JsonNode items = Json.at(spec, "gatewaySpec", "listeners");
    if (items.isArray()) {
      for (JsonNode item : items) {
        if (item.isObject()) {
          listeners.add(Listener.from(item));
        }
      }
    }
    JsonNode generation = Json.at(gateway, "metadata", "generation");
    return new OfnGateway(
        new NamespacedName(namespace, name),
        generation.isIntegralNumber() ? generation.asLong() : 0,
        Json.stringOr(spec, "", "domain"),
        Json.stringOr(spec, DEFAULT_CLUSTER_DOMAIN, "clusterDomain"),
        Json.stringOr(spec, DEFAULT_HOST_TEMPLATE, "hostTemplate"),
        Json.stringOr(spec, DEFAULT_PATH_TEMPLATE, "pathTemplate"),
        Json.stringOr(spec, DEFAULT_LABEL_KEY, "httpRouteLabelKey"),
        k8s,
        List.copyOf(listeners),
        gateway);
  }

  /**
   * The hostname ownership its annotation asks for; empty when the annotation is absent or not a
   * mode (the gateway validator refuses such a value; the server's default then applies).
   */
  public Optional<OwnershipMode> hostnameOwnership() {
    return Json.string(source, "metadata", "annotations", OwnershipMode.ANNOTATION)
        .flatMap(OwnershipMode::parse);
  }
}
