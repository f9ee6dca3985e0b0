package dev.ofn.webhook.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/** Named readiness checks; draining (SIGTERM) fails readiness at once. Thread-safe. */
public final class Readiness {
  private final Map<String, BooleanSupplier> checks = new ConcurrentHashMap<>();
  private final Map<String, java.util.function.Supplier<java.util.Optional<String>>> warnings =
      new ConcurrentHashMap<>();
  private volatile boolean draining;

  /**
   * A condition /readyz reports without failing (e.g. the controller cannot lead): the admission
   * side still answers, and failing readiness would take it away too.
   */
  public void warnWhen(String name, java.util.function.Supplier<java.util.Optional<String>> check) {
    warnings.put(name, check);
  }

  /** "name: why" of each present warning, sorted. */
  public List<String> warnings() {
    List<String> present = new ArrayList<>();
    warnings.forEach((name, check) -> check.get().ifPresent(why -> present.add(name + ": " + why)));
    present.sort(null);
    return present;
  }

  public void add(String name, BooleanSupplier check) {
    checks.put(name, check);
  }

  public void remove(String name) {
    checks.remove(name);
  }

  public void drain() {
    draining = true;
  }

  public List<String> failing() {
    List<String> failing = new ArrayList<>();
    if (draining) {
      failing.add("shutting down");
    }
    checks.forEach(
        (name, check) -> {
          if (!check.getAsBoolean()) {
            failing.add(name);
          }
        });
    failing.sort(null);
    return failing;
  }
}
