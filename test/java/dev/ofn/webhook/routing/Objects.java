package dev.ofn.webhook.routing;

import static dev.ofn.webhook.routing.TestCatalog.yaml;

import dev.ofn.webhook.json.Json;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Small Function and HTTPRoute trees for the conflict cases. */
final class Objects {
  private Objects() {}

  /**
   * A Function on the default gateway; hostnames and rules set only when given (YAML flow text).
   */
  static ObjectNode function(
      String namespace, String name, String hostnamesYaml, String rulesYaml) {
    ObjectNode fn =
        yaml(
            """
        apiVersion: core.openfunction.io/v1beta2
        kind: Function
        metadata: {name: %s, namespace: %s}
        spec:
          image: example/fn:latest
          serving:
            triggers:
              http:
                port: 8080
                route:
                  gatewayRef: {name: openfunction, namespace: openfunction}
        """
                .formatted(name, namespace));
    ObjectNode route = (ObjectNode) fn.at("/spec/serving/triggers/http/route");
    if (hostnamesYaml != null) {
      route.set("hostnames", Json.YAML.readTree(hostnamesYaml));
    }
    if (rulesYaml != null) {
      route.set("rules", Json.YAML.readTree(rulesYaml));
    }
    return fn;
  }

  /** One PathPrefix rule, as YAML flow text. */
  static String prefix(String path) {
    return "[{matches: [{path: {type: PathPrefix, value: \"" + path + "\"}}]}]";
  }

  /** An HTTPRoute; {@code parentRefsYaml} null means the contour Gateway, every listener. */
  static ObjectNode httpRoute(
      String namespace,
      String name,
      String parentRefsYaml,
      String hostnamesYaml,
      String rulesYaml) {
    ObjectNode route =
        yaml(
            """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: %s}
        spec: {}
        """
                .formatted(name, namespace));
    ObjectNode spec = (ObjectNode) route.get("spec");
    spec.set(
        "parentRefs",
        Json.YAML.readTree(
            parentRefsYaml != null
                ? parentRefsYaml
                : "[{name: contour, namespace: projectcontour}]"));
    if (hostnamesYaml != null) {
      spec.set("hostnames", Json.YAML.readTree(hostnamesYaml));
    }
    spec.set("rules", rulesYaml != null ? Json.YAML.readTree(rulesYaml) : Json.array());
    if (((ArrayNode) spec.get("rules")).isEmpty()) {
      spec.remove("rules");
    }
    return route;
  }

  /** Marks {@code route} as controlled by the Function {@code name} in its namespace. */
  static ObjectNode controlledBy(ObjectNode route, String functionName) {
    ((ObjectNode) route.get("metadata"))
        .set(
            "ownerReferences",
            Json.YAML.readTree(
                """
        - {apiVersion: core.openfunction.io/v1beta2, kind: Function, name: %s, uid: u1, controller: true, blockOwnerDeletion: true}
        """
                    .formatted(functionName)));
    return route;
  }
}
