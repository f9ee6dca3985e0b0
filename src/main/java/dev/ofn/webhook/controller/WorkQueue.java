package dev.ofn.webhook.controller;

import dev.ofn.webhook.Daemons;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deduplicating, per-key rate-limited work queue in the style of client-go's: a key is queued at
 * most once, never processed by two workers at once (an add while it is processed runs it again
 * afterwards), and a failed key comes back after an exponential backoff ({@code base} doubling up
 * to {@code max}).
 *
 * <p>A failure is logged once per key (again only when its message changes), retries at debug
 * level, and the recovery once: a stuck object does not flood the log at every retry.
 */
final class WorkQueue<K> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);

  /**
   * What a worker does with a key; true when done, false to retry it later (expected, not an
   * error).
   */
  interface Handler<K> {
    boolean handle(K key) throws Exception;
  }

  /** Where the queue reports adds, waits, work and retries (metrics); a no-op by default. */
  interface Observer {
    Observer NONE = new Observer() {};

    /** A key was added that was not already waiting. */
    default void added() {}

    /** A key is put back after a backoff. */
    default void retried() {}

    /** A worker took a key that had waited this long since it was added. */
    default void taken(long queuedNanos) {}

    /** A worker is done with a key after this long. */
    default void done(long workNanos) {}
  }

  private final String name;
  private final Handler<K> handler;
  private final Duration base;
  private final Duration max;
  private final LinkedHashSet<K> queue = new LinkedHashSet<>();
  private final Set<K> processing = new HashSet<>();
  private final Set<K> dirty = new HashSet<>();
  private final Map<K, Integer> failures = new HashMap<>();
  private final Map<K, String> logged = new HashMap<>();
  private final Map<K, Long> addedAt = new HashMap<>();
  private final Map<K, Long> startedAt = new HashMap<>();
  private final Observer observer;
  private final ScheduledExecutorService timer;
  private final Thread[] workers;
  private volatile boolean closed;

  WorkQueue(String name, int workers, Duration base, Duration max, Handler<K> handler) {
    this(name, workers, base, max, handler, Observer.NONE);
  }

  WorkQueue(
      String name,
      int workers,
      Duration base,
      Duration max,
      Handler<K> handler,
      Observer observer) {
    this.name = name;
    this.observer = observer;
    this.handler = handler;
    this.base = base;
    this.max = max;
    this.timer = Daemons.timer(name + "-delay");
    this.workers = new Thread[workers];
    for (int i = 0; i < workers; i++) {
      this.workers[i] = Daemons.thread(name + "-worker-" + i, this::work);
    }
  }

  /** Starts the workers; keys added before are kept. */
  void start() {
    for (Thread worker : workers) {
      worker.start();
    }
  }

  synchronized void add(K key) {
    if (closed || !dirty.add(key)) {
      return;
    }
    observer.added();
    addedAt.putIfAbsent(key, System.nanoTime());
    if (!processing.contains(key)) {
      queue.add(key);
      notifyAll();
    }
  }

  void addAfter(K key, Duration delay) {
    if (!closed) {
      timer.schedule(() -> add(key), delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Drops queued keys that match (e.g. objects that no longer exist). */
  synchronized void removeIf(Predicate<K> predicate) {
    queue.removeIf(
        key -> {
          if (predicate.test(key) && dirty.remove(key)) {
            addedAt.remove(key);
            return true;
          }
          return false;
        });
  }

  /** The backoff before the {@code n}-th retry (n ≥ 1): base, 2·base, 4·base, … at most max. */
  Duration backoff(int n) {
    long millis = base.toMillis() << Math.min(n - 1, 30);
    return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
  }

  synchronized int depth() {
    return queue.size() + processing.size();
  }

  /** True when nothing is queued or being processed (delayed retries do not count). */
  synchronized boolean idle() {
    return queue.isEmpty() && processing.isEmpty();
  }

  /** Keys waiting for a worker (client-go's depth). */
  synchronized int queued() {
    return queue.size();
  }

  /** Keys being worked on. */
  synchronized int active() {
    return processing.size();
  }

  /** Seconds the keys being worked on have taken so far, added up. */
  synchronized double unfinishedWorkSeconds(long now) {
    long total = 0;
    for (long start : startedAt.values()) {
      total += now - start;
    }
    return total / 1e9;
  }

  /** Seconds the longest-running key has been worked on (0 when none is). */
  synchronized double longestRunningSeconds(long now) {
    long longest = 0;
    for (long start : startedAt.values()) {
      longest = Math.max(longest, now - start);
    }
    return longest / 1e9;
  }

  synchronized int failing() {
    return failures.size();
  }

  synchronized int failures(K key) {
    return failures.getOrDefault(key, 0);
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      queue.clear();
      addedAt.clear();
      notifyAll();
    }
    timer.shutdownNow();
    for (Thread worker : workers) {
      worker.interrupt();
    }
    for (Thread worker : workers) {
      try {
        worker.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void work() {
    while (!closed) {
      K key;
      synchronized (this) {
        while (queue.isEmpty() && !closed) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        var it = queue.iterator();
        key = it.next();
        it.remove();
        dirty.remove(key);
        processing.add(key);
        long now = System.nanoTime();
        Long added = addedAt.remove(key);
        observer.taken(added == null ? 0 : now - added);
        startedAt.put(key, now);
      }
      process(key);
    }
  }

  private void process(K key) {
    Duration retry = null;
    try {
      if (handler.handle(key)) {
        succeeded(key);
      } else {
        retry = base;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception | Error e) {
      retry = closed ? null : failed(key, e); // failures while shutting down are the shutdown's
    } finally {
      synchronized (this) {
        processing.remove(key);
        Long started = startedAt.remove(key);
        if (started != null) {
          observer.done(System.nanoTime() - started);
        }
        if (dirty.contains(key) && !closed) {
          queue.add(key);
          notifyAll();
        }
      }
    }
    if (retry != null && !closed) {
      observer.retried();
      addAfter(key, retry);
    }
  }

  private void succeeded(K key) {
    String previous;
    synchronized (this) {
      failures.remove(key);
      previous = logged.remove(key);
    }
    if (previous != null) {
      LOG.info("{} {}: reconciled after earlier failures", name, key);
    }
  }

  private Duration failed(K key, Throwable e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    int n;
    boolean first;
    synchronized (this) {
      n = failures.merge(key, 1, Integer::sum);
      first = !message.equals(logged.put(key, message));
    }
    Duration delay = backoff(n);
    if (first) {
      LOG.warn(
          "{} {}: {} (retrying with backoff, further failures are logged at debug level)",
          name,
          key,
          message,
          e instanceof RuntimeException
                  && !(e instanceof io.fabric8.kubernetes.client.KubernetesClientException)
              ? e
              : null);
    } else {
      LOG.debug(
          "{} {}: retry {} failed, next in {}: {}",
          name,
          key,
          n,
          dev.ofn.webhook.DurationText.format(delay),
          message);
    }
    return delay;
  }
}
