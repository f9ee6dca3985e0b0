package dev.ofn.webhook.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The index on its own: replace semantics, reservations, attribution, concurrent use. */
class ConflictIndexTest {
  private final AtomicLong now = new AtomicLong(0);
  private final ConflictIndex index = new ConflictIndex(now::get);

  private static RouteKey key(String host) {
    return new RouteKey("projectcontour/contour", 80, host, Match.ROOT);
  }

  private static final Owner A = Owner.function("default", "a");
  private static final Owner B = Owner.httpRoute("default", "b");

  @Test
  void putReplacesAnObjectsKeys() {
    index.put(A, A, List.of(key("x.ofn.io"), key("y.ofn.io")));
    index.put(A, A, List.of(key("y.ofn.io"), key("z.ofn.io")));
    assertEquals(List.of(), index.lookup(key("x.ofn.io")));
    assertEquals(List.of(new ConflictIndex.Claim(A, A, false, 0)), index.lookup(key("z.ofn.io")));
    assertEquals(2, index.keyCount());
    index.put(A, A, List.of());
    assertEquals(0, index.keyCount());
    assertEquals(0, index.storedCount());
  }

  @Test
  void severalClaimantsOfOneKeyAreAllReturnedAndRemovedOneByOne() {
    Owner c = Owner.httpRoute("default", "c");
    index.put(A, A, List.of(key("x.ofn.io")));
    index.put(B, A, List.of(key("x.ofn.io"))); // B is controlled by A
    index.put(c, c, List.of(key("x.ofn.io")));
    assertEquals(
        List.of(
            new ConflictIndex.Claim(A, A, false, 0),
            new ConflictIndex.Claim(A, B, false, 0),
            new ConflictIndex.Claim(c, c, false, 0)),
        index.lookup(key("x.ofn.io")));
    index.remove(B);
    assertEquals(
        List.of(new ConflictIndex.Claim(A, A, false, 0), new ConflictIndex.Claim(c, c, false, 0)),
        index.lookup(key("x.ofn.io")));
    index.remove(A);
    index.remove(c);
    assertEquals(0, index.keyCount());
  }

  @Test
  void aReservationSurvivesAStaleEventWithoutItsKeys() {
    index.put(A, A, List.of(key("old.ofn.io")));
    index.reserve(A, A, List.of(key("new.ofn.io")));
    // An event for the previous version (e.g. a status write) does not end the reservation...
    index.put(A, A, List.of(key("old.ofn.io")));
    assertEquals(1, index.reservationCount());
    now.addAndGet(2_000);
    assertEquals(
        List.of(new ConflictIndex.Claim(A, A, true, 2_000)), index.lookup(key("new.ofn.io")));
    // ...the event for the admitted version does.
    index.put(A, A, List.of(key("new.ofn.io")));
    assertEquals(0, index.reservationCount());
    assertEquals(Set.of(key("new.ofn.io")), index.storedKeys(A));
  }

  @Test
  void reservingAgainReplacesTheEarlierReservation() {
    index.reserve(A, A, List.of(key("x.ofn.io")));
    now.addAndGet(20_000);
    index.reserve(A, A, List.of(key("y.ofn.io")));
    assertEquals(List.of(), index.lookup(key("x.ofn.io")));
    now.addAndGet(20_000);
    assertEquals(
        List.of(new ConflictIndex.Claim(A, A, true, 20_000)), index.lookup(key("y.ofn.io")));
    now.addAndGet(10_000);
    assertEquals(List.of(), index.lookup(key("y.ofn.io")));
    index.expireReservations();
    assertEquals(0, index.keyCount());
  }

  @Test
  void concurrentWritersAndReadersKeepTheIndexConsistent() throws Exception {
    ConflictIndex shared = new ConflictIndex();
    int writers = 4;
    int perWriter = 1_000;
    ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int id = w;
      futures.add(
          pool.submit(
              () -> {
                start.await();
                for (int i = 0; i < perWriter; i++) {
                  Owner owner = Owner.function("ns" + id, "f" + i);
                  shared.put(owner, owner, List.of(key("f" + i + ".ofn.io"), key("shared.ofn.io")));
                  if (i % 2 == 1) {
                    shared.remove(owner);
                  }
                }
                return null;
              }));
    }
    for (int r = 0; r < 2; r++) {
      futures.add(
          pool.submit(
              () -> {
                start.await();
                for (int i = 0; i < 5_000; i++) {
                  for (ConflictIndex.Claim claim : shared.lookup(key("shared.ofn.io"))) {
                    assertTrue(claim.owner().name().name().startsWith("f"));
                  }
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> future : futures) {
      future.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertEquals(writers * perWriter / 2, shared.storedCount());
    assertEquals(writers * perWriter / 2, shared.lookup(key("shared.ofn.io")).size());
    // perWriter/2 distinct "fN" hosts stay (odd ones removed by every writer) plus the shared key.
    assertEquals(perWriter / 2 + 1, shared.keyCount());
  }
}
