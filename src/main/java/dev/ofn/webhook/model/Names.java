package dev.ofn.webhook.model;

import dev.ofn.webhook.gateways.K8sGateway;
import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.gateways.OwnershipMode;
import java.util.Set;

/** Names shared across packages: API groups and kinds, annotation and label keys, fixed objects. */
public final class Names {
  public static final String FUNCTION_GROUP = "core.openfunction.io";
  public static final String FUNCTION_VERSION = "v1beta2";
  public static final String FUNCTION_API_VERSION = FUNCTION_GROUP + "/" + FUNCTION_VERSION;
  public static final String FUNCTION_KIND = "Function";
  public static final String OFN_GATEWAY_GROUP = OfnGateway.GROUP;
  public static final String OFN_GATEWAY_API_VERSION = OFN_GATEWAY_GROUP + "/v1alpha1";
  public static final String GATEWAY_API_GROUP = K8sGateway.GROUP;
  public static final String GATEWAY_KIND = K8sGateway.KIND;
  public static final String HTTPROUTE_KIND = "HTTPRoute";
  public static final String GRPCROUTE_KIND = "GRPCRoute";
  public static final String LISTENERSET_KIND = "ListenerSet";
  public static final String GATEWAYCLASS_KIND = "GatewayClass";

  /**
   * k8s Gateway or GatewayClass annotation: {@code deny}, {@code warn} or {@code off}, whether the
   * routes on the Gateway (or the class's Gateways) are policed for conflicts.
   */
  public static final String ROUTE_POLICY_ANNOTATION = K8sGateway.ROUTE_POLICY_ANNOTATION;

  /**
   * k8s Gateway annotation: {@code off} or {@code namespace}, the hostname ownership of its routes
   * (as {@link #HOSTNAME_OWNERSHIP_ANNOTATION} on an OFN Gateway).
   */
  public static final String K8S_HOSTNAME_OWNERSHIP_ANNOTATION =
      K8sGateway.HOSTNAME_OWNERSHIP_ANNOTATION;

  /** Lists the route fields the webhook generated: {@code hostnames}, {@code rules} or both. */
  public static final String GENERATED_ROUTE_ANNOTATION = OFN_GATEWAY_GROUP + "/generated-route";

  /** See {@link OwnershipMode#ANNOTATION}. */
  public static final String HOSTNAME_OWNERSHIP_ANNOTATION = OwnershipMode.ANNOTATION;

  /**
   * Namespace annotation: comma-separated hostnames ({@code shop.ofn.io}) and subdomains ({@code
   * *.team-a.ofn.io}) the namespace's routes may use; checked in every ownership mode when present.
   */
  public static final String ALLOWED_HOSTNAMES_ANNOTATION =
      OFN_GATEWAY_GROUP + "/allowed-hostnames";

  /** Namespace label; the value {@link #PARITY_ONLY} asks for OpenFunction's behaviour only. */
  public static final String MODE_LABEL = "ofn.io/webhook";

  public static final String PARITY_ONLY = "parity-only";

  /** Where a Function's route lives; error paths start here. */
  public static final String ROUTE_PATH = "spec.serving.triggers.http.route";

  /** The OFN Gateway a Function uses when its route names none. */
  public static final NamespacedName DEFAULT_GATEWAY =
      new NamespacedName("openfunction", "openfunction");

  /** The fields a host template may use. */
  public static final Set<String> HOST_FIELDS = Set.of("Name", "Namespace", "Domain");

  /** The fields a path template may use. */
  public static final Set<String> PATH_FIELDS = Set.of("Name", "Namespace");

  private Names() {}

  /** True when {@code object} has {@code kind} in {@code group} (any version). */
  public static boolean is(tools.jackson.databind.JsonNode object, String group, String kind) {
    return object != null
        && kind.equals(object.path("kind").asString(""))
        && object.path("apiVersion").asString("").startsWith(group + "/");
  }

  public static boolean isFunction(tools.jackson.databind.JsonNode object) {
    return is(object, FUNCTION_GROUP, FUNCTION_KIND);
  }

  public static boolean isOfnGateway(tools.jackson.databind.JsonNode object) {
    return is(object, OFN_GATEWAY_GROUP, GATEWAY_KIND);
  }

  public static boolean isHttpRoute(tools.jackson.databind.JsonNode object) {
    return is(object, GATEWAY_API_GROUP, HTTPROUTE_KIND);
  }

  public static boolean isGrpcRoute(tools.jackson.databind.JsonNode object) {
    return is(object, GATEWAY_API_GROUP, GRPCROUTE_KIND);
  }

  /** A Gateway API Gateway ({@code gateway.networking.k8s.io}), not an OFN Gateway. */
  public static boolean isK8sGateway(tools.jackson.databind.JsonNode object) {
    return is(object, GATEWAY_API_GROUP, GATEWAY_KIND);
  }

  public static boolean isGatewayClass(tools.jackson.databind.JsonNode object) {
    return is(object, GATEWAY_API_GROUP, GATEWAYCLASS_KIND);
  }

  public static boolean isListenerSet(tools.jackson.databind.JsonNode object) {
    return is(object, GATEWAY_API_GROUP, LISTENERSET_KIND);
  }
}
