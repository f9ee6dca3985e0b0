package dev.ofn.webhook.gateways;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether the routes on a k8s Gateway are policed for conflicts: {@code deny} refuses a shadowed
 * route, {@code warn} admits it with the same text as a warning, {@code off} leaves the gateway
 * alone.
 */
public enum RoutePolicy {
  DENY,
  WARN,
  OFF;

  /** {@code deny}, {@code warn} or {@code off}, as flags and annotations spell it. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The policy a flag or annotation value names; empty for anything else. */
  public static Optional<RoutePolicy> parse(String value) {
    for (RoutePolicy policy : values()) {
      if (policy.text().equals(value)) {
        return Optional.of(policy);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return text();
  }
}
