package dev.ofn.webhook.routing;

import dev.ofn.webhook.gateways.GatewayCatalog;
import dev.ofn.webhook.gateways.K8sGateway;
import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.gateways.OwnershipMode;
import dev.ofn.webhook.model.GeneratedHosts;
import dev.ofn.webhook.model.Names;
import dev.ofn.webhook.model.Warnings;
import dev.ofn.webhook.validation.FieldError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Hostname ownership (docs/ownership.md). In {@code namespace} mode a hostname on a gateway belongs
 * to the namespace of its oldest claim (creationTimestamp, then namespace/name; a claim not yet
 * stored is younger than every stored one); a wildcard {@code *.d} claims every hostname under
 * {@code d}, as OpenShift's router does. A namespace's {@code allowed-hostnames} annotation is
 * checked in every mode. Without ownership, a path on a host that is a strict prefix of, or under,
 * another namespace's path on the same host still gets a warning. Pure apart from reading the index
 * and the catalog.
 */
public final class HostOwnership {
  private final GatewayCatalog catalog;
  private final ConflictIndex index;
  private final OwnershipMode defaultMode;

  public HostOwnership(GatewayCatalog catalog, ConflictIndex index, OwnershipMode defaultMode) {
    this.catalog = catalog;
    this.index = index;
    this.defaultMode = defaultMode;
  }

  /** One object's hostnames checked: denials, warnings and the owners denied against (audit). */
  public record OwnershipCheck(
      List<FieldError> errors, List<String> warnings, List<Owner> owners) {}

  /** A claimed hostname of another namespace's that {@code host} may not take. */
  public record Blocker(ConflictIndex.Claimant claimant, String message) {}

  /** One stored claim that breaks the ownership of its gateway (the audit). */
  public record Violation(Owner object, String hostname, String gateway, String message) {
    @Override
    public String toString() {
      return object + ": " + message + " (gateway " + gateway + ")";
    }
  }

  /**
   * The mode of a k8s Gateway ({@code namespace/name}): the annotation of the OFN Gateways using it
   * ({@code namespace} when any says so), else the Gateway's own {@code
   * ofn-webhook.io/hostname-ownership}, else the server's default.
   */
  public OwnershipMode mode(String k8sGateway) {
    OwnershipMode annotated = null;
    for (OfnGateway gateway : catalog.ofnGateways()) {
      if (gateway.k8sGateway().toString().equals(k8sGateway)) {
        Optional<OwnershipMode> mode = gateway.hostnameOwnership();
        if (mode.isPresent() && (annotated == null || mode.get() == OwnershipMode.NAMESPACE)) {
          annotated = mode.get();
        }
      }
    }
    if (annotated == null) {
      // a plain Gateway says it itself (ofn-webhook.io/hostname-ownership)
      int slash = k8sGateway.indexOf('/');
      annotated =
          catalog
              .k8sGateway(
                  new NamespacedName(
                      k8sGateway.substring(0, Math.max(slash, 0)), k8sGateway.substring(slash + 1)))
              .flatMap(K8sGateway::hostnameOwnership)
              .orElse(null);
    }
    return annotated != null ? annotated : defaultMode;
  }

  /**
   * Admission: the hostnames of {@code keys} against the index. On UPDATE ({@code old} non-null) a
   * hostname the old object already served only warns, so existing objects stay editable.
   */
  public OwnershipCheck check(OwnedKeys keys, OwnedKeys old) {
    Set<HostClaim.HostKey> before = new HashSet<>();
    if (old != null) {
      old.hosts().forEach(h -> before.add(h.key()));
    }
    String namespace = keys.namespace();
    AllowedHostnames allowed = AllowedHostnames.of(catalog.namespaceAnnotations(namespace));
    Set<FieldError> errors = new LinkedHashSet<>();
    Set<String> warnings = new LinkedHashSet<>();
    Set<Owner> owners = new LinkedHashSet<>();
    Set<HostClaim.HostKey> refused = new HashSet<>();
    for (HostClaim host : keys.hosts()) {
      if (host.exempt()) {
        continue;
      }
      String problem = null;
      Optional<Generated> generated = host.claimed() ? generated(host) : Optional.empty();
      if (generated.isPresent()) {
        if (generated.get().namespaces().contains(namespace)) {
          continue; // its own by construction, as the Function's generated hostnames are
        }
        problem = generated.get().refusal(host.hostname());
      } else if (!allowed.permits(host.hostname())) {
        problem = allowed.refusal(host.hostname(), namespace);
      } else if (host.claimed() && mode(host.gateway()) == OwnershipMode.NAMESPACE) {
        Optional<Blocker> blocker = blocker(host, namespace);
        if (blocker.isPresent()) {
          problem = blocker.get().message();
          if (!before.contains(host.key())) {
            owners.add(blocker.get().claimant().owner());
          }
        }
      }
      if (problem == null) {
        continue;
      }
      refused.add(host.key());
      if (before.contains(host.key())) {
        warnings.add(Warnings.clip("existing problem: " + problem));
      } else {
        errors.add(FieldError.forbidden(host.path(), problem));
      }
    }
    for (RouteKey key : keys.keys()) {
      if (!refused.contains(new HostClaim.HostKey(key.gateway(), key.hostname()))) {
        overlaps(keys, key, warnings);
      }
    }
    return new OwnershipCheck(List.copyOf(errors), List.copyOf(warnings), List.copyOf(owners));
  }

  /**
   * The namespaces a hostname is given to by construction, and how: rendered for them by the host
   * template of an OFN Gateway on the host's gateway, or a Service hostname {@code
   * <x>.<ns>.svc.<clusterDomain>}. Several when a template cannot tell namespaces apart.
   */
  public record Generated(Set<String> namespaces, String how) {
    /** The refusal for a claim from another namespace. */
    String refusal(String hostname) {
      return "hostname "
          + hostname
          + " belongs to namespace "
          + String.join(" or ", namespaces)
          + " ("
          + how
          + ")";
    }
  }

  /**
   * Whose {@code host} is by construction, whatever the mode and whoever claimed it first; empty
   * when it is nobody's.
   */
  public Optional<Generated> generated(HostClaim host) {
    String hostname = host.hostname();
    for (OfnGateway gateway : catalog.ofnGateways()) {
      if (!gateway.k8sGateway().toString().equals(host.gateway())) {
        continue;
      }
      Optional<String> service = GeneratedHosts.serviceNamespace(hostname, gateway.clusterDomain());
      if (service.isPresent()) {
        return Optional.of(
            new Generated(Set.of(service.get()), "a Service hostname of that namespace"));
      }
      Set<String> namespaces =
          GeneratedHosts.namespacesOf(hostname, gateway.hostTemplate(), gateway.domain());
      if (!namespaces.isEmpty()) {
        return Optional.of(
            new Generated(
                namespaces,
                "the host template of OFN Gateway "
                    + gateway.id()
                    + " renders it for Functions there"));
      }
    }
    return Optional.empty();
  }

  /**
   * Why {@code namespace} may not claim {@code host}: the oldest claim covering it (the same
   * hostname, or a wildcard above it) is another namespace's; for a wildcard, also a claim under it
   * of another namespace's older than every claim covering the wildcard. Empty when it may.
   */
  public Optional<Blocker> blocker(HostClaim host, String namespace) {
    String hostname = host.hostname();
    if (hostname.equals("*")) {
      return Optional.empty();
    }
    List<ConflictIndex.Claimant> covering = new ArrayList<>(claimed(hostname, host.gateway()));
    for (String domain : Hostnames.domainsAbove(hostname)) {
      covering.addAll(claimed("*." + domain, host.gateway()));
    }
    ConflictIndex.Claimant oldest =
        covering.stream().min(Comparator.comparing(ConflictIndex.Claimant::age)).orElse(null);
    if (oldest != null && !oldest.namespace().equals(namespace)) {
      String of =
          oldest.host().hostname().equals(hostname)
              ? oldest.owner().toString()
              : oldest.host().hostname() + " of " + oldest.owner();
      return Optional.of(
          new Blocker(
              oldest,
              "hostname "
                  + hostname
                  + " belongs to namespace "
                  + oldest.namespace()
                  + " ("
                  + of
                  + ")"));
    }
    if (Hostnames.wildcard(hostname)) {
      ConflictIndex.Claimant inside = null;
      for (ConflictIndex.Claimant claim :
          index.claimedUnder(host.gateway(), hostname.substring(2))) {
        if (!claim.namespace().equals(namespace)
            && (oldest == null || claim.age().compareTo(oldest.age()) < 0)
            && (inside == null || claim.age().compareTo(inside.age()) < 0)) {
          inside = claim;
        }
      }
      if (inside != null) {
        return Optional.of(
            new Blocker(
                inside,
                "hostname "
                    + hostname
                    + " covers "
                    + inside.host().hostname()
                    + ", which belongs to namespace "
                    + inside.namespace()
                    + " ("
                    + inside.owner()
                    + ")"));
      }
    }
    return Optional.empty();
  }

  /**
   * The controller's view: the first hostname of a stored object that another namespace owns on a
   * gateway in {@code namespace} mode (the object lost ownership), or empty.
   */
  public Optional<String> lost(OwnedKeys keys) {
    for (HostClaim host : keys.hosts()) {
      if (host.claimed() && !host.exempt()) {
        Optional<String> problem = storedProblem(host, keys.namespace());
        if (problem.isPresent()) {
          return problem;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * A stored claim's problem: the hostname is another namespace's by construction (every mode), or
   * (namespace mode) another namespace's oldest claim covers it.
   */
  private Optional<String> storedProblem(HostClaim host, String namespace) {
    Optional<Generated> generated = generated(host);
    if (generated.isPresent()) {
      return generated.get().namespaces().contains(namespace)
          ? Optional.empty()
          : Optional.of(generated.get().refusal(host.hostname()));
    }
    if (mode(host.gateway()) != OwnershipMode.NAMESPACE) {
      return Optional.empty();
    }
    return blocker(host, namespace).map(Blocker::message);
  }

  /** Every stored claim that breaks the ownership of a gateway in {@code namespace} mode. */
  public List<Violation> violations() {
    List<Violation> violations = new ArrayList<>();
    for (ConflictIndex.Claimant claim : index.storedClaims()) {
      HostClaim host = claim.host();
      if (host.exempt() || !host.claimed()) {
        continue;
      }
      storedProblem(host, claim.namespace())
          .ifPresent(
              problem ->
                  violations.add(
                      new Violation(claim.object(), host.hostname(), host.gateway(), problem)));
    }
    return violations;
  }

  private List<ConflictIndex.Claimant> claimed(String hostname, String gateway) {
    return index.onHost(gateway, hostname).stream().filter(c -> c.host().claimed()).toList();
  }

  /** Warnings for another namespace's paths on the key's host that overlap the key's path. */
  private void overlaps(OwnedKeys keys, RouteKey key, Set<String> warnings) {
    for (ConflictIndex.Claimant other : index.onHost(key.gateway(), key.hostname())) {
      if (other.namespace().equals(keys.namespace()) || other.object().equals(keys.object())) {
        continue;
      }
      for (RouteKey theirs : other.keys()) {
        if (theirs.port() != key.port()) {
          continue;
        }
        String relation =
            covers(theirs.match(), key.match())
                ? " is under "
                : covers(key.match(), theirs.match()) ? " is a prefix of " : null;
        if (relation != null) {
          warnings.add(
              Warnings.clip(
                  "\""
                      + key.hostname()
                      + " "
                      + path(key.match())
                      + "\""
                      + relation
                      + "\""
                      + path(theirs.match())
                      + "\" of "
                      + other.owner()
                      + " (another namespace)"));
        }
      }
    }
  }

  private static String path(Match match) {
    return match.pathType() + " " + match.path();
  }

  /** True when {@code outer} is a PathPrefix that takes strictly more paths than {@code inner}. */
  static boolean covers(Match outer, Match inner) {
    if (!Match.PATH_PREFIX.equals(outer.pathType())
        || !(Match.PATH_PREFIX.equals(inner.pathType()) || Match.EXACT.equals(inner.pathType()))) {
      return false;
    }
    if (inner.path().equals(outer.path())) {
      return Match.EXACT.equals(inner.pathType());
    }
    return outer.path().equals("/") || inner.path().startsWith(outer.path() + "/");
  }

  /**
   * The {@code allowed-hostnames} annotation of a namespace: exact names and {@code *.} suffixes.
   */
  record AllowedHostnames(String value, List<String> entries) {
    /** How much of the annotation a refusal quotes: one line per hostname, not the whole list. */
    static final int QUOTED_VALUE = 80;

    static AllowedHostnames of(java.util.Map<String, String> annotations) {
      String value = annotations.get(Names.ALLOWED_HOSTNAMES_ANNOTATION);
      if (value == null) {
        return new AllowedHostnames(null, null);
      }
      List<String> entries = new ArrayList<>();
      for (String part : value.split(",")) {
        if (!part.isBlank()) {
          entries.add(part.trim());
        }
      }
      return new AllowedHostnames(value.trim(), List.copyOf(entries));
    }

    boolean permits(String hostname) {
      if (entries == null) {
        return true;
      }
      for (String entry : entries) {
        if (entry.equals(hostname)
            || entry.equals("*")
            || Hostnames.wildcard(entry) && hostname.endsWith(entry.substring(1))) {
          return true;
        }
      }
      return false;
    }

    String refusal(String hostname, String namespace) {
      return "hostname "
          + hostname
          + " is not allowed in namespace "
          + namespace
          + " ("
          + Names.ALLOWED_HOSTNAMES_ANNOTATION
          + ": "
          + Warnings.clip(value, QUOTED_VALUE)
          + ")";
    }
  }
}
