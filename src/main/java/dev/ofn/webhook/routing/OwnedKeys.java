package dev.ofn.webhook.routing;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The route keys of one object: {@code object} is the Function or HTTPRoute itself (its identity in
 * the index), {@code owner} who it counts as (an HTTPRoute controlled by a Function counts as that
 * Function). {@code located} lists each key with the field that produced it, in field order; a key
 * appears once per field. {@code warnings} are ≤ 120 characters each. {@code hosts}: the hostnames
 * it serves per gateway, once each, in field order (what hostname ownership looks at); {@code
 * created}: its creationTimestamp, null when it has none yet.
 */
public record OwnedKeys(
    Owner object,
    Owner owner,
    List<LocatedKey> located,
    List<String> warnings,
    List<HostClaim> hosts,
    Instant created) {

  public OwnedKeys(Owner object, Owner owner, List<LocatedKey> located, List<String> warnings) {
    this(object, owner, located, warnings, List.of(), null);
  }

  public static OwnedKeys none(Owner object, Owner owner) {
    return new OwnedKeys(object, owner, List.of(), List.of());
  }

  /** The distinct keys, in field order. */
  public Set<RouteKey> keys() {
    Set<RouteKey> keys = new LinkedHashSet<>();
    located.forEach(l -> keys.add(l.key()));
    return keys;
  }

  /** The namespace of the object (and of its owner). */
  public String namespace() {
    return object.name().namespace();
  }
}
