package dev.ofn.webhook.bench;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;

/**
 * Runs one no-argument method of a test class outside Maven, e.g. a {@code @Tag("bench")} JUnit
 * class that {@code make test} excludes: {@code RunMethod
 * dev.ofn.webhook.routing.ConflictIndexBench conflictCheckAtScale}. The benchmark script uses it so
 * such figures come from the launcher's JVM flags, not surefire's fork.
 */
public final class RunMethod {
  private RunMethod() {}

  public static void main(String[] args) throws Exception {
    Class<?> type = Class.forName(args[0]);
    Constructor<?> constructor = type.getDeclaredConstructor();
    constructor.setAccessible(true);
    Object instance = constructor.newInstance();
    Method method = type.getDeclaredMethod(args[1]);
    method.setAccessible(true);
    method.invoke(instance);
  }
}
