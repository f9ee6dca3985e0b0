package dev.ofn.webhook.routing;

import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.model.Names;
import tools.jackson.databind.JsonNode;

/**
 * Who a route key belongs to, printed as users name objects in kubectl: {@code Function ns/name},
 * {@code HTTPRoute ns/name}. Also used as the identity of an indexed object.
 */
public record Owner(Kind kind, NamespacedName name) {

  public enum Kind {
    FUNCTION("Function"),
    HTTP_ROUTE("HTTPRoute"),
    GRPC_ROUTE("GRPCRoute");

    private final String text;

    Kind(String text) {
      this.text = text;
    }

    /**
     * True for what serves gRPC: Gateway API lets HTTPRoutes (and Functions, which write them) and
     * GRPCRoutes not share a listener's hostname (GEP-1016).
     */
    public boolean grpc() {
      return this == GRPC_ROUTE;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  public static Owner function(String namespace, String name) {
    return new Owner(Kind.FUNCTION, new NamespacedName(namespace.intern(), name));
  }

  public static Owner httpRoute(String namespace, String name) {
    return new Owner(Kind.HTTP_ROUTE, new NamespacedName(namespace.intern(), name));
  }

  public static Owner grpcRoute(String namespace, String name) {
    return new Owner(Kind.GRPC_ROUTE, new NamespacedName(namespace.intern(), name));
  }

  /**
   * The object itself (not its controller): a Function or an HTTPRoute tree of any served version.
   */
  public static Owner of(JsonNode object) {
    String namespace = namespaceOf(object);
    String name = Json.stringOr(object, "", "metadata", "name");
    return switch (kindOf(object)) {
      case FUNCTION -> function(namespace, name);
      case HTTP_ROUTE -> httpRoute(namespace, name);
      case GRPC_ROUTE -> grpcRoute(namespace, name);
    };
  }

  /**
   * The owner a route counts as: the controlling Function for an HTTPRoute it controls (so a
   * Function and the route written for it never conflict), else the object itself.
   */
  public static Owner attributed(JsonNode object) {
    Owner self = of(object);
    if (self.kind() != Kind.HTTP_ROUTE) {
      return self;
    }
    JsonNode refs = Json.at(object, "metadata", "ownerReferences");
    if (refs.isArray()) {
      for (JsonNode ref : refs) {
        if (Json.at(ref, "controller").isBoolean()
            && Json.at(ref, "controller").booleanValue()
            && Names.isFunction(ref)
            && !Json.stringOr(ref, "", "name").isEmpty()) {
          return function(self.name().namespace(), Json.stringOr(ref, "", "name"));
        }
      }
    }
    return self;
  }

  /** FUNCTION, HTTP_ROUTE or GRPC_ROUTE by kind and API group; empty for anything else. */
  public static java.util.Optional<Kind> routedKind(JsonNode object) {
    if (Names.isFunction(object)) {
      return java.util.Optional.of(Kind.FUNCTION);
    }
    if (Names.isGrpcRoute(object)) {
      return java.util.Optional.of(Kind.GRPC_ROUTE);
    }
    return Names.isHttpRoute(object)
        ? java.util.Optional.of(Kind.HTTP_ROUTE)
        : java.util.Optional.empty();
  }

  /** FUNCTION, HTTP_ROUTE or GRPC_ROUTE; anything else is the caller's mistake. */
  public static Kind kindOf(JsonNode object) {
    return routedKind(object)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "not a Function, HTTPRoute or GRPCRoute: "
                        + Json.stringOr(object, "", "apiVersion")
                        + " "
                        + Json.stringOr(object, "", "kind")));
  }

  /**
   * Objects without a namespace (offline input) are in {@code default}, as kubectl would put them.
   */
  static String namespaceOf(JsonNode object) {
    return Json.stringOr(object, "default", "metadata", "namespace");
  }

  @Override
  public String toString() {
    return kind + " " + name;
  }
}
