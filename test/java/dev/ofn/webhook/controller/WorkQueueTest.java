package dev.ofn.webhook.controller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
  @Test
  void backoffDoublesFromBaseUpToMax() {
    try (WorkQueue<String> queue =
        new WorkQueue<>("t", 1, Duration.ofSeconds(1), Duration.ofMinutes(5), k -> true)) {
      assertEquals(
          List.of(
              Duration.ofSeconds(1),
              Duration.ofSeconds(2),
              Duration.ofSeconds(4),
              Duration.ofSeconds(256),
              Duration.ofMinutes(5),
              Duration.ofMinutes(5)),
          List.of(
              queue.backoff(1),
              queue.backoff(2),
              queue.backoff(3),
              queue.backoff(9),
              queue.backoff(10),
              queue.backoff(64)));
    }
  }

  @Test
  void aKeyIsQueuedOnceAndNeverRunTwiceAtOnce() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    List<String> seen = new CopyOnWriteArrayList<>();
    try (WorkQueue<String> queue =
        new WorkQueue<>(
            "t",
            4,
            Duration.ofMillis(10),
            Duration.ofMillis(50),
            key -> {
              maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
              seen.add(key);
              inside.countDown();
              release.await(5, TimeUnit.SECONDS);
              running.decrementAndGet();
              return true;
            })) {
      queue.start();
      queue.add("a");
      assertTrue(inside.await(5, TimeUnit.SECONDS));
      queue.add("a"); // while running: once more afterwards
      queue.add("a");
      release.countDown();
      await().atMost(Duration.ofSeconds(5)).until(queue::idle);
      assertEquals(List.of("a", "a"), seen);
      assertEquals(1, maxRunning.get());
    }
  }

  @Test
  void aFailingKeyIsRetriedWithBackoffUntilItSucceeds() {
    AtomicInteger calls = new AtomicInteger();
    try (WorkQueue<String> queue =
        new WorkQueue<>(
            "t",
            1,
            Duration.ofMillis(10),
            Duration.ofMillis(40),
            key -> {
              if (calls.incrementAndGet() < 4) {
                throw new IllegalStateException("boom");
              }
              return true;
            })) {
      queue.start();
      queue.add("k");
      await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() == 4 && queue.idle());
      assertEquals(0, queue.failures("k"));
      assertEquals(0, queue.failing());
    }
  }
}
