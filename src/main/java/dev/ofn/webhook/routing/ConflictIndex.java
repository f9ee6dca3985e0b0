package dev.ofn.webhook.routing;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Route key → the objects that claim it, for admission-time conflict checks (docs/behaviour.md §7).
 *
 * <p>A hash index, so a lookup costs the same with 10 or 100,000 routes. Informer threads write
 * ({@link #put}, {@link #remove}); the admission path reserves what it admits ({@link #reserve})
 * and reads ({@link #lookup}). Writes are serialised on this object and replace immutable values,
 * so reads take no lock. Reservations cover the gap between admission and the informer seeing the
 * object: one lasts until the informer shows the object with (at least) the reserved keys, or 30 s;
 * it expires lazily against the injected clock (no timer thread).
 */
public final class ConflictIndex {
  public static final long RESERVATION_TTL_MILLIS = 30_000;
  private static final long STORED = Long.MIN_VALUE;

  /**
   * One claimant as a lookup sees it; {@code ageMillis} is how long ago a reservation was made (0
   * when stored).
   */
  public record Claim(Owner owner, Owner object, boolean reserved, long ageMillis) {}

  /**
   * One object's hostname on a gateway as a lookup sees it: who, how old (Gateway API order), the
   * hostname as the object serves it, and the object's keys on that hostname.
   */
  public record Claimant(
      Owner owner,
      Owner object,
      boolean reserved,
      ClaimAge age,
      HostClaim host,
      List<RouteKey> keys) {
    public String namespace() {
      return owner.name().namespace();
    }
  }

  /**
   * One object's keys, stored or reserved. Identity matters: it is removed from the index by
   * identity.
   */
  private static final class Entry {
    final Owner object;
    final Owner owner;
    final RouteKey[] keys;
    final long reservedAt;
    final HostClaim[] hosts;
    final ClaimAge age;

    Entry(
        Owner object,
        Owner owner,
        RouteKey[] keys,
        long reservedAt,
        HostClaim[] hosts,
        Instant created,
        long sequence) {
      this.object = object;
      this.owner = owner.equals(object) ? object : owner; // one instance in the common case
      this.keys = keys;
      this.reservedAt = reservedAt;
      this.hosts = hosts;
      this.age = new ClaimAge(created, sequence, object);
    }
  }

  // Values are an Entry, or an Entry[] (length ≥ 2) when several objects claim the key; never
  // mutated.
  private final ConcurrentHashMap<RouteKey, Object> index = new ConcurrentHashMap<>();
  // (gateway, hostname as served, wildcards included) → Entry or Entry[], as above.
  private final ConcurrentHashMap<HostClaim.HostKey, Object> byHost = new ConcurrentHashMap<>();
  // For new wildcards, a tree of the claimed hostnames per gateway: (gateway, domain) → the entries
  // claiming a hostname whose parent it is (a.b.ofn.io and *.b.ofn.io: b.ofn.io), and → its
  // subdomains that have claims below them. One membership per claimed hostname.
  private final ConcurrentHashMap<HostClaim.HostKey, Set<Entry>> children =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<HostClaim.HostKey, Set<String>> subdomains =
      new ConcurrentHashMap<>();
  private long sequence;
  private final Map<Owner, Entry> stored = new HashMap<>();
  private final Map<Owner, Entry> reserved = new HashMap<>();
  private final ArrayDeque<Entry> reservationOrder = new ArrayDeque<>();
  private final LongSupplier nowMillis;

  /** Monotonic time: reservations must not jump with the wall clock. */
  public ConflictIndex() {
    this(() -> System.nanoTime() / 1_000_000);
  }

  public ConflictIndex(Clock clock) {
    this(clock::millis);
  }

  public ConflictIndex(LongSupplier nowMillis) {
    this.nowMillis = nowMillis;
  }

  /**
   * Informer add/update: {@code object}'s keys become exactly {@code keys}, attributed to {@code
   * owner}.
   */
  public synchronized void put(Owner object, Owner owner, Collection<RouteKey> keys) {
    put(object, owner, keys, List.of(), null);
  }

  private synchronized void put(
      Owner object,
      Owner owner,
      Collection<RouteKey> keys,
      List<HostClaim> hosts,
      Instant created) {
    long now = nowMillis.getAsLong();
    expire(now);
    Entry old = stored.remove(object);
    if (old != null) {
      detach(old);
    }
    RouteKey[] distinct = distinct(keys);
    if (distinct.length > 0) {
      Entry entry =
          new Entry(
              object,
              owner,
              distinct,
              STORED,
              hosts.toArray(HostClaim[]::new),
              created,
              ++sequence);
      stored.put(object, entry);
      attach(entry);
    }
    Entry reservation = reserved.get(object);
    // The stored keys now protect everything reserved: the reservation has done its job. (Checking
    // the
    // keys, not just the name, keeps a reservation alive past a stale event of the previous
    // version.)
    if (reservation != null
        && new HashSet<>(Arrays.asList(distinct)).containsAll(Arrays.asList(reservation.keys))) {
      reserved.remove(object);
      detach(reservation);
    }
  }

  public void put(OwnedKeys keys) {
    put(keys.object(), keys.owner(), keys.keys(), keys.hosts(), keys.created());
  }

  /** Informer delete: frees the object's keys. A pending reservation stays until it expires. */
  public synchronized boolean remove(Owner object) {
    expire(nowMillis.getAsLong());
    Entry old = stored.remove(object);
    if (old != null) {
      detach(old);
    }
    return old != null;
  }

  /**
   * Admission allowed {@code object} (not a dry run): hold its keys until the informer shows it.
   */
  public synchronized void reserve(Owner object, Owner owner, Collection<RouteKey> keys) {
    reserve(object, owner, keys, List.of(), null);
  }

  private synchronized void reserve(
      Owner object,
      Owner owner,
      Collection<RouteKey> keys,
      List<HostClaim> hosts,
      Instant created) {
    long now = nowMillis.getAsLong();
    expire(now);
    Entry old = reserved.remove(object);
    if (old != null) {
      detach(old);
    }
    RouteKey[] distinct = distinct(keys);
    if (distinct.length > 0) {
      Entry entry =
          new Entry(
              object, owner, distinct, now, hosts.toArray(HostClaim[]::new), created, ++sequence);
      reserved.put(object, entry);
      reservationOrder.addLast(entry);
      attach(entry);
    }
  }

  public void reserve(OwnedKeys keys) {
    reserve(keys.object(), keys.owner(), keys.keys(), keys.hosts(), keys.created());
  }

  /** Who claims {@code key}: stored objects and live reservations. Lock-free. */
  public List<Claim> lookup(RouteKey key) {
    Object value = index.get(key);
    if (value == null) {
      return List.of();
    }
    long now = nowMillis.getAsLong();
    if (value instanceof Entry entry) {
      return live(entry, now) ? List.of(claim(entry, now)) : List.of();
    }
    List<Claim> claims = new ArrayList<>(2);
    for (Entry entry : (Entry[]) value) {
      if (live(entry, now)) {
        claims.add(claim(entry, now));
      }
    }
    return claims;
  }

  /**
   * Who serves {@code hostname} (exactly as written, wildcards included) on {@code gateway}: stored
   * objects and live reservations, claimed or not. Lock-free.
   */
  public List<Claimant> onHost(String gateway, String hostname) {
    HostClaim.HostKey key = new HostClaim.HostKey(gateway, hostname);
    Object value = byHost.get(key);
    if (value == null) {
      return List.of();
    }
    long now = nowMillis.getAsLong();
    List<Claimant> claimants = new ArrayList<>(2);
    for (Entry entry : value instanceof Entry single ? new Entry[] {single} : (Entry[]) value) {
      if (live(entry, now)) {
        for (HostClaim host : entry.hosts) {
          if (host.key().equals(key)) {
            claimants.add(claimant(entry, host));
          }
        }
      }
    }
    return claimants;
  }

  /**
   * The claimed hostnames strictly under {@code domain} on {@code gateway} ({@code a.ofn.io} and
   * {@code *.b.ofn.io} are under {@code ofn.io}; every one is under the root {@code ""}). Costs the
   * number of such claims: only a new wildcard asks.
   */
  public List<Claimant> claimedUnder(String gateway, String domain) {
    long now = nowMillis.getAsLong();
    List<Claimant> claimants = new ArrayList<>();
    ArrayDeque<String> domains = new ArrayDeque<>();
    domains.add(domain);
    while (!domains.isEmpty()) {
      String current = domains.poll();
      HostClaim.HostKey key = new HostClaim.HostKey(gateway, current);
      for (Entry entry : children.getOrDefault(key, Set.of())) {
        if (!live(entry, now)) {
          continue;
        }
        for (HostClaim host : entry.hosts) {
          if (host.claimed()
              && host.gateway().equals(gateway)
              && Hostnames.parent(host.hostname()).equals(current)
              && (domain.isEmpty() || Hostnames.under(host.hostname(), domain))) {
            claimants.add(claimant(entry, host));
          }
        }
      }
      domains.addAll(subdomains.getOrDefault(key, Set.of()));
    }
    return claimants;
  }

  /** Every claimed hostname of the stored objects (for the audit when a mode is turned on). */
  public synchronized List<Claimant> storedClaims() {
    List<Claimant> claimants = new ArrayList<>();
    for (Entry entry : stored.values()) {
      for (HostClaim host : entry.hosts) {
        if (host.claimed()) {
          claimants.add(claimant(entry, host));
        }
      }
    }
    return claimants;
  }

  private static Claimant claimant(Entry entry, HostClaim host) {
    List<RouteKey> keys = new ArrayList<>(2);
    for (RouteKey key : entry.keys) {
      if (key.gateway().equals(host.gateway()) && key.hostname().equals(host.hostname())) {
        keys.add(key);
      }
    }
    return new Claimant(
        entry.owner, entry.object, entry.reservedAt != STORED, entry.age, host, List.copyOf(keys));
  }

  /**
   * Drops expired reservations now (writes do this anyway; a caller may also run it on a timer).
   */
  public synchronized void expireReservations() {
    expire(nowMillis.getAsLong());
  }

  /** The object's stored keys (empty when unknown), e.g. for the controller or diagnostics. */
  public synchronized Set<RouteKey> storedKeys(Owner object) {
    Entry entry = stored.get(object);
    return entry == null ? Set.of() : Set.of(entry.keys);
  }

  public int keyCount() {
    return index.size();
  }

  public synchronized int storedCount() {
    return stored.size();
  }

  public synchronized int reservationCount() {
    expire(nowMillis.getAsLong());
    return reserved.size();
  }

  private static boolean live(Entry entry, long now) {
    return entry.reservedAt == STORED || now - entry.reservedAt < RESERVATION_TTL_MILLIS;
  }

  private static Claim claim(Entry entry, long now) {
    boolean isReservation = entry.reservedAt != STORED;
    return new Claim(
        entry.owner, entry.object, isReservation, isReservation ? now - entry.reservedAt : 0);
  }

  // Reservations are queued in time order, so expiry pops from the head: amortised O(1) per
  // reservation.
  private void expire(long now) {
    while (!reservationOrder.isEmpty() && !live(reservationOrder.peekFirst(), now)) {
      Entry entry = reservationOrder.pollFirst();
      if (reserved.get(entry.object) == entry) {
        reserved.remove(entry.object);
        detach(entry);
      }
    }
  }

  private void attach(Entry entry) {
    for (RouteKey key : entry.keys) {
      add(index, key, entry);
    }
    for (HostClaim host : entry.hosts) {
      add(byHost, host.key(), entry);
      if (host.claimed()) {
        String parent = Hostnames.parent(host.hostname());
        children
            .computeIfAbsent(
                new HostClaim.HostKey(host.gateway(), parent), k -> ConcurrentHashMap.newKeySet())
            .add(entry);
        // link the parent into the tree, up to the first domain already linked
        for (String domain = parent; !domain.isEmpty(); domain = Hostnames.parent(domain)) {
          boolean added =
              subdomains
                  .computeIfAbsent(
                      new HostClaim.HostKey(host.gateway(), Hostnames.parent(domain)),
                      k -> ConcurrentHashMap.newKeySet())
                  .add(domain);
          if (!added) {
            break;
          }
        }
      }
    }
  }

  private void detach(Entry entry) {
    for (RouteKey key : entry.keys) {
      drop(index, key, entry);
    }
    for (HostClaim host : entry.hosts) {
      drop(byHost, host.key(), entry);
      if (host.claimed()) {
        String parent = Hostnames.parent(host.hostname());
        children.computeIfPresent(
            new HostClaim.HostKey(host.gateway(), parent),
            (k, set) -> {
              set.remove(entry);
              return set.isEmpty() ? null : set;
            });
        prune(host.gateway(), parent);
      }
    }
  }

  /** Unlinks domains that no longer have claims at or below them, bottom up. */
  private void prune(String gateway, String domain) {
    for (String d = domain; !d.isEmpty(); d = Hostnames.parent(d)) {
      HostClaim.HostKey key = new HostClaim.HostKey(gateway, d);
      if (children.containsKey(key) || subdomains.containsKey(key)) {
        return;
      }
      String leaf = d;
      subdomains.computeIfPresent(
          new HostClaim.HostKey(gateway, Hostnames.parent(d)),
          (k, set) -> {
            set.remove(leaf);
            return set.isEmpty() ? null : set;
          });
    }
  }

  /** The keys once each, in their order; a set (what {@link OwnedKeys#keys} gives) as it is. */
  private static RouteKey[] distinct(Collection<RouteKey> keys) {
    return (keys instanceof Set<RouteKey> set ? set : new LinkedHashSet<>(keys))
        .toArray(RouteKey[]::new);
  }

  private static <K> void add(ConcurrentHashMap<K, Object> map, K key, Entry entry) {
    map.compute(
        key,
        (k, value) -> {
          if (value == null) {
            return entry;
          }
          if (value instanceof Entry single) {
            return new Entry[] {single, entry};
          }
          Entry[] many = (Entry[]) value;
          Entry[] grown = Arrays.copyOf(many, many.length + 1);
          grown[many.length] = entry;
          return grown;
        });
  }

  private static <K> void drop(ConcurrentHashMap<K, Object> map, K key, Entry entry) {
    map.computeIfPresent(
        key,
        (k, value) -> {
          if (value == entry) {
            return null;
          }
          if (!(value instanceof Entry[] many)) {
            return value;
          }
          Entry[] kept = Arrays.stream(many).filter(e -> e != entry).toArray(Entry[]::new);
          return kept.length == 1 ? kept[0] : kept;
        });
  }
}
