package dev.ofn.webhook.gateways;

import java.util.Locale;
import java.util.Optional;

/**
 * Hostname ownership on a gateway: {@code off} (any namespace may route any hostname) or {@code
 * namespace} (a hostname belongs to the namespace of its oldest claim).
 */
public enum OwnershipMode {
  OFF,
  NAMESPACE;

  /**
   * The OFN Gateway annotation that asks for a mode (overrides the server's {@code
   * --hostname-ownership}). Here, not in {@code model.Names}: {@code gateways} sits below {@code
   * model}.
   */
  public static final String ANNOTATION = OfnGateway.GROUP + "/hostname-ownership";

  /** {@code off} or {@code namespace}, as flags and annotations spell it. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode a flag or annotation value names; empty for anything else. */
  public static Optional<OwnershipMode> parse(String value) {
    for (OwnershipMode mode : values()) {
      if (mode.text().equals(value)) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return text();
  }
}
