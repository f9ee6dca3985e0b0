package dev.ofn.webhook.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Gateway API's cross-serving rule (GEP-1016): an HTTPRoute and a GRPCRoute whose hostnames
 * intersect may not share a listener; the older (creationTimestamp, then namespace/name) is
 * accepted, the other is not. A Function counts as the HTTPRoute it writes. Listeners are told
 * apart by gateway and port, as route keys do. Pure apart from reading the index.
 */
final class CrossServing {
  private final ConflictIndex index;

  CrossServing(ConflictIndex index) {
    this.index = index;
  }

  /** One hostname of the object that another kind of route already serves on its listener. */
  record Clash(HostClaim host, int port, ConflictIndex.Claimant other) {
    String message(Owner.Kind self) {
      String theirs = other.host().hostname();
      return "hostname "
          + host.hostname()
          + " on gateway "
          + host.gateway()
          + ":"
          + port
          + (theirs.equals(host.hostname()) ? " is served by " : " intersects " + theirs + " of ")
          + other.owner()
          + ", and a listener serves either "
          + (self.grpc() ? "HTTPRoutes" : "GRPCRoutes")
          + " or "
          + (self.grpc() ? "GRPCRoutes" : "HTTPRoutes")
          + " on a hostname, not both (Gateway API GEP-1016)";
    }
  }

  /**
   * For each hostname of {@code keys}, the oldest route of the other kind on the same listener
   * whose hostnames intersect it; in the object's hostname order.
   */
  List<Clash> clashes(OwnedKeys keys) {
    List<Clash> clashes = new ArrayList<>();
    boolean grpc = keys.object().kind().grpc();
    for (HostClaim host : keys.hosts()) {
      Set<Integer> ports = new TreeSet<>();
      for (RouteKey key : keys.keys()) {
        if (key.gateway().equals(host.gateway()) && key.hostname().equals(host.hostname())) {
          ports.add(key.port());
        }
      }
      for (int port : ports) {
        oldest(keys, host, port, grpc).ifPresent(o -> clashes.add(new Clash(host, port, o)));
      }
    }
    return clashes;
  }

  private Optional<ConflictIndex.Claimant> oldest(
      OwnedKeys self, HostClaim host, int port, boolean grpc) {
    return intersecting(host).stream()
        .filter(c -> c.object().kind().grpc() != grpc)
        .filter(c -> !c.object().equals(self.object()) && !c.owner().equals(self.owner()))
        .filter(c -> c.keys().stream().anyMatch(k -> k.port() == port))
        .min(Comparator.comparing(ConflictIndex.Claimant::age));
  }

  /**
   * Who serves a hostname intersecting {@code host}'s on its gateway: the same hostname, {@code *}
   * (a route without hostnames on a listener without one), the wildcards above it and, for a
   * wildcard, the claimed hostnames under it.
   */
  private List<ConflictIndex.Claimant> intersecting(HostClaim host) {
    String hostname = host.hostname();
    String gateway = host.gateway();
    List<ConflictIndex.Claimant> found = new ArrayList<>(index.onHost(gateway, hostname));
    if (!hostname.equals("*")) {
      found.addAll(index.onHost(gateway, "*"));
      for (String domain : Hostnames.domainsAbove(hostname)) {
        found.addAll(index.onHost(gateway, "*." + domain));
      }
    }
    if (hostname.equals("*")) {
      found.addAll(index.claimedUnder(gateway, ""));
    } else if (Hostnames.wildcard(hostname)) {
      found.addAll(index.claimedUnder(gateway, hostname.substring(2)));
    }
    return found;
  }
}
