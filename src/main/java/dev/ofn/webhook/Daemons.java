package dev.ofn.webhook;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * The one place background threads are made: daemon threads (a stop never waits on a timer or a
 * watcher), named so that a thread dump says whose they are.
 */
public final class Daemons {
  private Daemons() {}

  /** Threads named {@code name}, daemon. */
  public static ThreadFactory named(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** A daemon thread named {@code name}, not yet started. */
  public static Thread thread(String name, Runnable runnable) {
    return named(name).newThread(runnable);
  }

  /** One daemon thread for timed work: tasks never overlap. */
  public static ScheduledExecutorService timer(String name) {
    return Executors.newSingleThreadScheduledExecutor(named(name));
  }
}
