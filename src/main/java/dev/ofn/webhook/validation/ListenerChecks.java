package dev.ofn.webhook.validation;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Beyond checks on an OFN Gateway's {@code gatewaySpec.listeners}: the listeners are applied into a
 * k8s Gateway, whose CRD refuses duplicate names and duplicate port/protocol/hostname combinations
 * — refusing them here tells the user at apply time instead of in a controller log.
 */
final class ListenerChecks {
  private ListenerChecks() {}

  /**
   * A listener's identity on the wire; hostname null is "any host", distinct from every hostname.
   */
  private record Combination(long port, String protocol, String hostname) {
    @Override
    public String toString() {
      return protocol + "/" + port + (hostname == null ? "" : " " + hostname);
    }
  }

  static void check(Errors errors, List<At> listeners, String domain, String clusterDomain) {
    Set<String> names = new HashSet<>();
    Map<Combination, String> combinations = new HashMap<>();
    for (At listener : listeners) {
      if (!listener.node().isObject()) {
        continue; // reported by the parity pass
      }
      At name = listener.get("name");
      // type errors on the name were reported by the parity pass; only its value matters here
      if (!name.present()) {
        errors.add(FieldError.required(name.path(), "must specify a listener name"));
      } else if (name.node().isString()) {
        String value = name.node().stringValue();
        if (!names.add(value)) {
          errors.add(FieldError.duplicate(name.path(), value));
        }
        GatewayApiRules.dnsNameProblem(value)
            .ifPresent(problem -> errors.add(FieldError.invalid(name.path(), value, problem)));
      }
      Long port = port(errors, listener.get("port"));
      String protocol = errors.string(listener.get("protocol")).orElse(null);
      if (!listener.get("protocol").present() || "".equals(protocol)) {
        errors.add(FieldError.required(listener.get("protocol").path(), "must specify a protocol"));
        protocol = null;
      }
      At hostnameAt = listener.get("hostname");
      String hostname = errors.string(hostnameAt).orElse(null);
      // the defaulted hostnames derive from domain / clusterDomain: their errors are reported there
      if (hostname != null
          && !hostname.equals("*." + domain)
          && !hostname.equals("*." + clusterDomain)) {
        errors.addAll(GatewayApiRules.hostname(hostnameAt.path(), hostname));
      }
      if (port != null && protocol != null) {
        Combination combination = new Combination(port, protocol, hostname);
        String first = combinations.putIfAbsent(combination, listener.path());
        if (first != null) {
          errors.add(
              FieldError.invalid(
                  listener.path(),
                  combination.toString(),
                  "combination of port, protocol and hostname must be unique for each listener (same as "
                      + first.substring(first.lastIndexOf('.') + 1)
                      + ")"));
        }
      }
    }
  }

  private static Long port(Errors errors, At at) {
    if (!at.present()) {
      errors.add(FieldError.required(at.path(), "must specify a port"));
      return null;
    }
    var port = errors.int32(at);
    if (port.isEmpty()) {
      return null;
    }
    if (port.getAsLong() < 1 || port.getAsLong() > 65535) {
      errors.add(
          FieldError.invalid(
              at.path(), port.getAsLong(), "must be between 1 and 65535, inclusive"));
      return null;
    }
    return port.getAsLong();
  }
}
