package dev.ofn.webhook.routing;

import dev.ofn.webhook.gateways.GatewayCatalog;
import dev.ofn.webhook.gateways.K8sGateway;
import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.RoutePolicy;
import dev.ofn.webhook.model.Names;
import java.util.Optional;

/**
 * Which k8s Gateways have their routes policed (docs/gateway-api.md): one an OFN Gateway uses
 * always (deny, as before opting in existed); any other by its own {@code
 * ofn-webhook.io/route-policy} annotation, else its GatewayClass's, else the server's default. A
 * Gateway the catalog does not know has no listeners to police: off.
 */
public final class RoutePolicies {
  private final GatewayCatalog catalog;
  private final RoutePolicy fallback;
  private final boolean every;

  /** {@code fallback}: the policy of Gateways whose annotations (and class's) do not say. */
  public RoutePolicies(GatewayCatalog catalog, RoutePolicy fallback) {
    this(catalog, fallback, false);
  }

  private RoutePolicies(GatewayCatalog catalog, RoutePolicy fallback, boolean every) {
    this.catalog = catalog;
    this.fallback = fallback;
    this.every = every;
  }

  /**
   * Every known k8s Gateway denies, whatever its annotations say: for the read-only audit a user
   * runs before opting in ({@code webhook check --cluster --all-gateways}).
   */
  public static RoutePolicies everyGateway(GatewayCatalog catalog) {
    return new RoutePolicies(catalog, RoutePolicy.DENY, true);
  }

  public GatewayCatalog catalog() {
    return catalog;
  }

  public RoutePolicy fallback() {
    return fallback;
  }

  /** The policy of the k8s Gateway {@code gateway}. */
  public RoutePolicy of(NamespacedName gateway) {
    for (var ofn : catalog.ofnGateways()) {
      if (ofn.k8sGateway().equals(gateway)) {
        return RoutePolicy.DENY;
      }
    }
    Optional<K8sGateway> k8s = catalog.k8sGateway(gateway);
    if (k8s.isEmpty()) {
      return RoutePolicy.OFF;
    }
    if (every) {
      return RoutePolicy.DENY;
    }
    return k8s.get()
        .routePolicy()
        .or(
            () ->
                RoutePolicy.parse(
                    catalog
                        .gatewayClassAnnotations(k8s.get().className())
                        .getOrDefault(Names.ROUTE_POLICY_ANNOTATION, "")))
        .orElse(fallback);
  }

  /** The policy of a gateway as route keys name it ({@code namespace/name}). */
  public RoutePolicy of(String gateway) {
    int slash = gateway.indexOf('/');
    return of(new NamespacedName(gateway.substring(0, slash), gateway.substring(slash + 1)));
  }
}
