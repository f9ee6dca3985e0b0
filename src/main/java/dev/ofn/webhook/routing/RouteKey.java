package dev.ofn.webhook.routing;

/**
 * What a route claims on a gateway (docs/behaviour.md §7): requests to {@code hostname} on listener
 * port {@code port} of the k8s Gateway {@code gateway} ({@code namespace/name}) that satisfy {@code
 * match}. Two owners sharing a key means one of them is unreachable.
 *
 * <p>Kept compact because the index holds one per host × match × port of every route: the gateway
 * string is interned, the hostname string is shared by every key of the object, and the common
 * match is the {@link Match#ROOT} singleton.
 */
public record RouteKey(String gateway, int port, String hostname, Match match) {

  public RouteKey {
    gateway = gateway.intern();
  }

  /**
   * {@code "sample.ofn.io PathPrefix /v2/foo" on gateway projectcontour/contour:80}, as messages
   * say it.
   */
  public String describe() {
    return "\"" + hostname + " " + match + "\" on gateway " + gateway + ":" + port;
  }

  @Override
  public String toString() {
    return describe();
  }
}
