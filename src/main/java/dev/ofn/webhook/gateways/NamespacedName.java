package dev.ofn.webhook.gateways;

/** A namespaced object name, printed as {@code namespace/name}. */
public record NamespacedName(String namespace, String name) {
  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
