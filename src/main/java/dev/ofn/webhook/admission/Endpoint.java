package dev.ofn.webhook.admission;

import dev.ofn.webhook.model.Names;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The webhook paths (parity names with OpenFunction, so existing configurations keep working) and
 * which objects each one admits.
 */
public enum Endpoint {
  MUTATE_FUNCTION("/mutate-core-openfunction-io-v1beta2-function", "mfunctions.of.io"),
  VALIDATE_FUNCTION("/validate-core-openfunction-io-v1beta2-function", "vfunctions.of.io"),
  MUTATE_GATEWAY("/mutate-networking-openfunction-io-v1alpha1-gateway", "mgateway.of.io"),
  VALIDATE_GATEWAY("/validate-networking-openfunction-io-v1alpha1-gateway", "vgateway.of.io"),
  VALIDATE_HTTPROUTE("/validate-gateway-networking-k8s-io-v1-httproute", "vhttproutes.of.io"),
  VALIDATE_GRPCROUTE("/validate-gateway-networking-k8s-io-v1-grpcroute", "vgrpcroutes.of.io");

  public final String path;
  public final String webhookName;

  Endpoint(String path, String webhookName) {
    this.path = path;
    this.webhookName = webhookName;
  }

  /**
   * The endpoints the apiserver calls for {@code object}, as our webhook configurations register
   * them: the mutating one first. Empty for objects no webhook of ours sees.
   */
  public static List<Endpoint> forObject(JsonNode object) {
    if (Names.isFunction(object) && FUNCTION_API.equals(apiVersion(object))) {
      return List.of(MUTATE_FUNCTION, VALIDATE_FUNCTION);
    }
    if (Names.isOfnGateway(object) && Names.OFN_GATEWAY_API_VERSION.equals(apiVersion(object))) {
      return List.of(MUTATE_GATEWAY, VALIDATE_GATEWAY);
    }
    if (Names.isHttpRoute(object)
        && HTTPROUTE_VERSIONS.contains(apiVersion(object).substring(GATEWAY_API_PREFIX.length()))) {
      return List.of(VALIDATE_HTTPROUTE);
    }
    if (Names.isGrpcRoute(object)
        && GRPCROUTE_VERSIONS.contains(apiVersion(object).substring(GATEWAY_API_PREFIX.length()))) {
      return List.of(VALIDATE_GRPCROUTE);
    }
    return List.of();
  }

  /**
   * Why an object of one of our groups is not checked as it is (another version: the apiserver
   * converts it before our webhooks see it); empty when {@link #forObject} covers it or it is not
   * ours at all.
   */
  public static Optional<String> notChecked(JsonNode object) {
    return notAdmitted(object, "checked", "check");
  }

  /** {@link #notChecked} for {@code webhook default}: such an object is printed as it is. */
  public static Optional<String> notDefaulted(JsonNode object) {
    return notAdmitted(object, "defaulted", "default");
  }

  private static Optional<String> notAdmitted(JsonNode object, String done, String verb) {
    if (!forObject(object).isEmpty()) {
      return Optional.empty();
    }
    String served;
    if (Names.isFunction(object)) {
      served = FUNCTION_API;
    } else if (Names.isOfnGateway(object)) {
      served = Names.OFN_GATEWAY_API_VERSION;
    } else if (Names.isHttpRoute(object)) {
      served = GATEWAY_API_PREFIX + String.join("|", HTTPROUTE_VERSIONS);
    } else if (Names.isGrpcRoute(object)) {
      served = GATEWAY_API_PREFIX + String.join("|", GRPCROUTE_VERSIONS);
    } else {
      return misspelled(object);
    }
    return Optional.of(
        apiVersion(object)
            + " is not "
            + done
            + ": the webhooks admit "
            + served
            + " (convert the object to that version to "
            + verb
            + " it)");
  }

  /**
   * A kind of one of our groups written in the wrong case ({@code kind: function}): the API server
   * would refuse it as an unknown kind, while an offline run would skip it silently.
   */
  private static Optional<String> misspelled(JsonNode object) {
    String apiVersion = apiVersion(object);
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String kind = object.path("kind").asString("");
    List<String> ours =
        switch (group) {
          case Names.FUNCTION_GROUP -> List.of(Names.FUNCTION_KIND);
          case Names.OFN_GATEWAY_GROUP -> List.of(Names.GATEWAY_KIND);
          case Names.GATEWAY_API_GROUP -> List.of(Names.HTTPROUTE_KIND, Names.GRPCROUTE_KIND);
          default -> List.of();
        };
    return ours.stream()
        .filter(k -> k.equalsIgnoreCase(kind) && !k.equals(kind))
        .findFirst()
        .map(k -> "not a kind this tool checks; did you mean " + k + "?");
  }

  private static final String FUNCTION_API = Names.FUNCTION_API_VERSION;
  private static final String GATEWAY_API_PREFIX = Names.GATEWAY_API_GROUP + "/";

  /** The HTTPRoute versions our validating webhook is registered for. */
  private static final List<String> HTTPROUTE_VERSIONS = List.of("v1", "v1beta1", "v1alpha2");

  /** The GRPCRoute versions our validating webhook is registered for (v1.5.1 serves v1 only). */
  private static final List<String> GRPCROUTE_VERSIONS = List.of("v1");

  private static String apiVersion(JsonNode object) {
    return object.path("apiVersion").asString("");
  }
}
