package dev.ofn.webhook.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.bouncycastle.util.IPAddress;

/**
 * The subject alternative names a serving certificate must carry, normalised (DNS lower-cased, IPs
 * in Java's canonical text, both sorted and de-duplicated) so that "wanted" and "found in the
 * certificate" compare with {@code equals}.
 */
public record Sans(List<String> dns, List<String> ips) {
  private static final Pattern DNS =
      Pattern.compile(
          "(\\*\\.)?([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  public Sans {
    dns = normalise(dns, Sans::dnsName);
    ips = normalise(ips, Sans::ipAddress);
    if (dns.isEmpty() && ips.isEmpty()) {
      throw new IllegalArgumentException("a serving certificate needs at least one DNS or IP name");
    }
  }

  /**
   * Standalone serving: always {@code localhost} and {@code 127.0.0.1}, plus {@code
   * --cert-dns}/{@code --cert-ip}.
   */
  public static Sans standalone(Collection<String> extraDns, Collection<String> extraIps) {
    List<String> dns = new ArrayList<>(List.of("localhost"));
    dns.addAll(extraDns == null ? List.of() : extraDns);
    List<String> ips = new ArrayList<>(List.of("127.0.0.1"));
    ips.addAll(extraIps == null ? List.of() : extraIps);
    return new Sans(dns, ips);
  }

  /**
   * In a cluster: the four names the apiserver may use for {@code service.namespace}
   * (docs/behaviour.md §10).
   */
  public static Sans service(String service, String namespace) {
    return new Sans(
        List.of(
            service,
            service + "." + namespace,
            service + "." + namespace + ".svc",
            service + "." + namespace + ".svc.cluster.local"),
        List.of());
  }

  /**
   * The subject's common name: the most specific DNS name that fits X.500's 64 characters. TLS
   * clients ignore it (they match SANs); it is for humans reading {@code openssl x509 -text}.
   */
  public String commonName() {
    return dns.stream()
        .filter(n -> n.length() <= 64)
        .max((a, b) -> Integer.compare(a.length(), b.length()))
        .orElse(dns.isEmpty() ? ips.get(0) : "ofn-webhook");
  }

  @Override
  public String toString() {
    List<String> all = new ArrayList<>(dns);
    all.addAll(ips);
    return String.join(", ", all);
  }

  static String dnsName(String name) {
    String lower = name.trim().toLowerCase(Locale.ROOT);
    if (lower.endsWith(".")) {
      lower = lower.substring(0, lower.length() - 1);
    }
    if (lower.length() > 253 || !DNS.matcher(lower).matches()) {
      throw new IllegalArgumentException("not a DNS name: '" + name + "'");
    }
    return lower;
  }

  static String ipAddress(String ip) {
    String trimmed = ip.trim();
    // Checked first so that InetAddress never resolves a host name (no DNS lookup hides in here).
    if (!IPAddress.isValid(trimmed)) {
      throw new IllegalArgumentException("not an IP address: '" + ip + "'");
    }
    try {
      return InetAddress.getByName(trimmed).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: '" + ip + "'", e);
    }
  }

  private static List<String> normalise(
      List<String> values, java.util.function.UnaryOperator<String> one) {
    TreeSet<String> set = new TreeSet<>();
    for (String value : values == null ? List.<String>of() : values) {
      if (value != null && !value.isBlank()) {
        set.add(one.apply(value));
      }
    }
    return List.copyOf(set);
  }
}
