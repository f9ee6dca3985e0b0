package dev.ofn.webhook.controller;

import dev.ofn.webhook.gateways.Listener;
import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.routing.HttpRoutes;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The ExternalName Services that make a Function's internal host resolve (docs/behaviour.md §9), as
 * OpenFunction builds them; pure. {@code <fn>.<ns>.svc.<clusterDomain>} → {@code
 * gateway.<gwNs>.svc.<clusterDomain>} → the k8s Gateway's own Service, where the internal listener
 * routes by Host.
 */
final class ExternalNameServices {
  /** The Service in the OFN Gateway's namespace that every Function Service points at. */
  static final String GATEWAY_SERVICE = "gateway";

  /**
   * Gateway implementations without status addresses (Contour) expose their data plane under this
   * name.
   */
  static final String ENVOY = "envoy";

  private ExternalNameServices() {}

  /**
   * {@code <fn>} → {@code gateway.<gwNs>.svc.<clusterDomain>}, one port per internal listener port.
   */
  static ObjectNode forFunction(JsonNode function, OfnGateway gateway) {
    String name = Json.stringOr(function, "", "metadata", "name");
    String namespace = Json.stringOr(function, "default", "metadata", "namespace");
    ObjectNode service = skeleton(name, namespace, ownerRef(function, "Function"));
    Json.objectAt(service, "metadata", "labels").put(HttpRoutes.FUNCTION_LABEL, name);
    List<Listener> internal =
        gateway.listeners().stream().filter(l -> internal(l, gateway.clusterDomain())).toList();
    spec(
        service,
        GATEWAY_SERVICE + "." + gateway.id().namespace() + ".svc." + gateway.clusterDomain(),
        internal);
    return service;
  }

  /**
   * {@code gateway} in the OFN Gateway's namespace → {@code target}, one port per listener port.
   */
  static ObjectNode forGateway(JsonNode ofnGateway, OfnGateway gateway, String target) {
    ObjectNode service =
        skeleton(GATEWAY_SERVICE, gateway.id().namespace(), ownerRef(ofnGateway, "Gateway"));
    spec(service, target, gateway.listeners());
    return service;
  }

  /**
   * Where the k8s Gateway is reached, as OpenFunction finds it: its first status address when that
   * is a hostname, else the first existing Service of {@code <gw>-envoy}, {@code envoy-<gw>},
   * {@code envoy} in its namespace. Empty when none is known yet.
   */
  static Optional<String> gatewayTarget(
      JsonNode k8sGateway, String clusterDomain, Predicate<NamespacedName> serviceExists) {
    JsonNode first = Json.at(k8sGateway, "status", "addresses").path(0);
    if ("Hostname".equals(Json.stringOr(first, "", "type"))
        && !Json.stringOr(first, "", "value").isEmpty()) {
      return Optional.of(Json.stringOr(first, "", "value").split(":")[0]);
    }
    String name = Json.stringOr(k8sGateway, "", "metadata", "name");
    String namespace = Json.stringOr(k8sGateway, "default", "metadata", "namespace");
    for (String candidate : List.of(name + "-" + ENVOY, ENVOY + "-" + name, ENVOY)) {
      if (serviceExists.test(new NamespacedName(namespace, candidate))) {
        return Optional.of(candidate + "." + namespace + ".svc." + clusterDomain);
      }
    }
    return Optional.empty();
  }

  /** An internal listener serves the cluster domain (OpenFunction: hostname ends with it). */
  static boolean internal(Listener listener, String clusterDomain) {
    return listener.hostname() != null && listener.hostname().endsWith(clusterDomain);
  }

  private static ObjectNode skeleton(String name, String namespace, ObjectNode ownerRef) {
    ObjectNode service = Json.object().put("apiVersion", "v1").put("kind", "Service");
    ObjectNode metadata =
        service.putObject("metadata").put("name", name).put("namespace", namespace);
    metadata.putObject("labels").put(HttpRoutes.CREATED_BY_LABEL, HttpRoutes.CREATED_BY);
    metadata.putArray("ownerReferences").add(ownerRef);
    return service;
  }

  /** Ports deduplicated by number: a Service refuses two TCP ports with the same number. */
  private static void spec(ObjectNode service, String externalName, List<Listener> listeners) {
    ObjectNode spec =
        service.putObject("spec").put("type", "ExternalName").put("externalName", externalName);
    ArrayNode ports = spec.putArray("ports");
    Set<Integer> seen = new LinkedHashSet<>();
    for (Listener listener : listeners) {
      if (listener.port() > 0 && seen.add(listener.port())) {
        ports
            .addObject()
            .put("name", portName(listener.name()))
            .put("protocol", "TCP")
            .put("port", listener.port())
            .put("targetPort", listener.port());
      }
    }
    if (ports.isEmpty()) {
      spec.remove("ports");
    }
  }

  /** Listener names may hold dots; a Service port name is a DNS label. */
  private static String portName(String listener) {
    String name = listener.replace('.', '-');
    return name.length() > 63 ? name.substring(0, 63) : name;
  }

  static ObjectNode ownerRef(JsonNode owner, String kind) {
    ObjectNode ref =
        Json.object()
            .put("apiVersion", Json.stringOr(owner, "", "apiVersion"))
            .put("kind", kind)
            .put("name", Json.stringOr(owner, "", "metadata", "name"));
    Json.string(owner, "metadata", "uid").ifPresent(uid -> ref.put("uid", uid));
    return ref.put("controller", true).put("blockOwnerDeletion", true);
  }
}
