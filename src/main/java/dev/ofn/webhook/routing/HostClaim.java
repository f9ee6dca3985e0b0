package dev.ofn.webhook.routing;

/**
 * A hostname a route serves on a k8s Gateway ({@code namespace/name}), with the field that gave it
 * ({@code spec.hostnames[0]}, or the parentRef for a route without hostnames). {@code claimed}: it
 * counts for hostname ownership — false only for a listener's wildcard that a route without
 * hostnames inherits (the gateway's owner shares that listener). {@code exempt}: the namespace's by
 * construction (a Function's internal host, or a host rendered from a template with the namespace
 * in it): never refused for ownership nor for the namespace's allowed hostnames.
 */
public record HostClaim(
    String gateway, String hostname, String path, boolean claimed, boolean exempt) {

  /** The key of the gateway's hostname, for the index. */
  HostKey key() {
    return new HostKey(gateway, hostname);
  }

  /** A (gateway, hostname) pair: {@code hostname} may be a wildcard ({@code *.ofn.io}). */
  record HostKey(String gateway, String hostname) {}
}
