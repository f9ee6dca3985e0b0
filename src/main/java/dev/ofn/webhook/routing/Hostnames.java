package dev.ofn.webhook.routing;

import java.util.regex.Pattern;

/** Gateway API hostname rules: validity and listener/route intersection. */
public final class Hostnames {
  private Hostnames() {}

  // The HTTPRoute CRD's pattern: lowercase RFC 1123 labels, optionally led by a "*." wildcard
  // label.
  private static final Pattern VALID =
      Pattern.compile("(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  public static boolean valid(String hostname) {
    return hostname != null && hostname.length() <= 253 && VALID.matcher(hostname).matches();
  }

  public static boolean wildcard(String hostname) {
    return hostname.startsWith("*.");
  }

  /**
   * The hostname requests must carry to reach a route with {@code route} hostname through a
   * listener with {@code listener} hostname (either may be null: "any"), or null when they do not
   * intersect. It is the more specific of the two; {@code *} when neither restricts. A wildcard
   * matches one or more labels ({@code *.ofn.io} covers {@code a.b.ofn.io}) but not the bare
   * domain.
   */
  public static String intersect(String listener, String route) {
    if (listener == null) {
      return route == null ? "*" : route;
    }
    if (route == null || route.equals(listener)) {
      return listener;
    }
    if (wildcard(listener) && route.endsWith(listener.substring(1))) {
      return route;
    }
    if (wildcard(route) && listener.endsWith(route.substring(1))) {
      return listener;
    }
    return null;
  }

  /**
   * True when {@code hostname} (exact or wildcard) is strictly under {@code domain}: {@code
   * a.ofn.io} and {@code *.b.ofn.io} are under {@code ofn.io}; {@code ofn.io} is not.
   */
  public static boolean under(String hostname, String domain) {
    String host = wildcard(hostname) ? hostname.substring(2) : hostname;
    return host.endsWith("." + domain);
  }

  /**
   * The domains a claimed hostname is strictly under, nearest first: {@code a.b.ofn.io} → {@code
   * b.ofn.io, ofn.io, io}; {@code *.b.ofn.io} → {@code ofn.io, io} (its own domain is the
   * wildcard's). Empty for {@code *}.
   */
  public static java.util.List<String> domainsAbove(String hostname) {
    String host = wildcard(hostname) ? hostname.substring(2) : hostname;
    java.util.List<String> domains = new java.util.ArrayList<>();
    if (hostname.equals("*")) {
      return domains;
    }
    for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
      domains.add(host.substring(dot + 1));
    }
    return domains;
  }

  /**
   * The domain a hostname is directly in: {@code a.b.ofn.io} and {@code *.b.ofn.io} → {@code
   * b.ofn.io}; {@code io} → {@code ""} (the root).
   */
  public static String parent(String hostname) {
    String host = wildcard(hostname) ? hostname.substring(2) : hostname;
    if (wildcard(hostname)) {
      return host;
    }
    int dot = host.indexOf('.');
    return dot < 0 ? "" : host.substring(dot + 1);
  }
}
