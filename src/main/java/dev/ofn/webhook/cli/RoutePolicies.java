package dev.ofn.webhook.cli;

import dev.ofn.webhook.gateways.RoutePolicy;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --default-route-policy deny|warn|off}. */
final class RoutePolicies implements ITypeConverter<RoutePolicy> {
  static final String DESCRIPTION =
      "Route policy of k8s Gateways that neither they nor their GatewayClass annotate with "
          + "ofn-webhook.io/route-policy (and no OFN Gateway uses): deny, warn or off "
          + "(default ${DEFAULT-VALUE}).";

  @Override
  public RoutePolicy convert(String value) {
    return RoutePolicy.parse(value)
        .orElseThrow(() -> new TypeConversionException("'" + value + "' is not deny, warn or off"));
  }
}
