package dev.ofn.webhook.routing;

import static dev.ofn.webhook.routing.Objects.function;
import static dev.ofn.webhook.routing.Objects.prefix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Conflict-check latency and index memory at 10 / 1,000 / 100,000 routes. Prints figures, asserts
 * nothing (timing never fails a build); tagged so {@code make test} skips it.
 */
@Tag("bench")
class ConflictIndexBench {
  private static final int WARMUP = 100_000;
  private static final int ROUNDS = 50_000;

  @Test
  void conflictCheckAtScale() throws Exception {
    run(10, false); // warms the JIT, so the first printed size is not measured cold
    for (int routes : new int[] {10, 1_000, 100_000}) {
      run(routes, true);
    }
  }

  private static void run(int routes, boolean print) throws Exception {
    TestCatalog catalog = TestCatalog.withDefaultGateway();
    long heapBefore = usedHeap();
    ConflictIndex index = new ConflictIndex();
    ConflictChecker checker = new ConflictChecker(catalog, index);
    ObjectNode generated = function("ns", "f", null, null);
    ObjectNode custom = function("ns", "f", "[placeholder]", prefix("/api/v1"));
    for (int i = 0; i < routes; i++) {
      // Half with generated hostnames (2 keys), half with their own hostname and path (2 keys).
      ObjectNode fn = (i % 2 == 0 ? generated : custom).deepCopy();
      fn.withObject("/metadata").put("name", "f" + i).put("namespace", "ns" + (i % 500));
      if (i % 2 == 1) {
        fn.withObject("/spec/serving/triggers/http/route")
            .putArray("hostnames")
            .add("api-" + i + ".ofn.io");
      }
      index.put(checker.routeKeys().of(fn));
    }
    long heapAfter = usedHeap();

    ObjectNode fresh = function("ns7", "probe", "[probe.ofn.io]", prefix("/"));
    ObjectNode clash = function("ns7", "probe", "[api-1.ofn.io]", prefix("/api/v1/"));
    boolean denied = false;
    for (int i = 0; i < WARMUP; i++) {
      denied ^= checker.check(i % 2 == 0 ? fresh : clash).denied();
    }
    long start = System.nanoTime();
    for (int i = 0; i < ROUNDS; i++) {
      denied ^= checker.check(i % 2 == 0 ? fresh : clash).denied();
    }
    double micros = (System.nanoTime() - start) / 1_000.0 / ROUNDS;
    RouteKey key = checker.routeKeys().of(clash).keys().iterator().next(); // claimed by f1
    long lookups = 0;
    start = System.nanoTime();
    for (int i = 0; i < ROUNDS * 10; i++) {
      lookups += index.lookup(key).size();
    }
    double lookupNanos = (System.nanoTime() - start) / (double) (ROUNDS * 10);

    if (!print) {
      return;
    }
    System.out.printf(Locale.ROOT, "conflict_check_us_%d: %.2f us%n", routes, micros);
    System.out.printf(Locale.ROOT, "index_lookup_ns_%d: %.0f ns%n", routes, lookupNanos);
    System.out.printf(Locale.ROOT, "index_keys_%d: %d%n", routes, index.keyCount());
    System.out.printf(
        Locale.ROOT, "index_bytes_per_route_%d: %d%n", routes, (heapAfter - heapBefore) / routes);
    System.out.printf(Locale.ROOT, "process_rss_mb_%d: %d%n", routes, rssKb() / 1024);
    if (denied && lookups < 0) {
      System.out.println("unreachable; keeps the JIT from dropping the loops");
    }
  }

  /**
   * The same for a GRPCRoute on a plain Gateway that opts in: its keys, plus cross-serving against
   * HTTPRoutes on the same listener. Half the stored routes are GRPCRoutes, half HTTPRoutes, each
   * on its own hostname.
   */
  @Test
  void grpcConflictCheckAtScale() {
    runGrpc(10, false);
    for (int routes : new int[] {10, 1_000, 100_000}) {
      runGrpc(routes, true);
    }
  }

  private static final String GATEWAY =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: gw, namespace: infra, annotations: {ofn-webhook.io/route-policy: deny}}
      spec:
        gatewayClassName: eg
        listeners: [{name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}]
      """;

  private static void runGrpc(int routes, boolean print) {
    TestCatalog catalog = new TestCatalog().gateway(GATEWAY);
    ConflictIndex index = new ConflictIndex();
    ConflictChecker checker = new ConflictChecker(catalog, index);
    String parent = "{name: gw, namespace: infra}";
    for (int i = 0; i < routes; i++) {
      String ns = "ns" + (i % 500);
      index.put(
          checker
              .routeKeys()
              .of(
                  i % 2 == 0
                      ? PlainGatewayTest.grpcRoute(
                          ns,
                          "g" + i,
                          parent,
                          "grpc-" + i + ".example.com",
                          PlainGatewayTest.method("shop.Cart", "Add"))
                      : PlainGatewayTest.httpRoute(
                          ns, "h" + i, parent, "web-" + i + ".example.com", "/api")));
    }
    var fresh =
        PlainGatewayTest.grpcRoute(
            "ns7",
            "probe",
            parent,
            "probe.example.com",
            PlainGatewayTest.method("shop.Cart", "Add"));
    var clash =
        PlainGatewayTest.grpcRoute(
            "ns7",
            "probe",
            parent,
            "grpc-0.example.com",
            PlainGatewayTest.method("shop.Cart", "Add"));
    boolean denied = false;
    for (int i = 0; i < WARMUP; i++) {
      denied ^= checker.check(i % 2 == 0 ? fresh : clash).denied();
    }
    long start = System.nanoTime();
    for (int i = 0; i < ROUNDS; i++) {
      denied ^= checker.check(i % 2 == 0 ? fresh : clash).denied();
    }
    double micros = (System.nanoTime() - start) / 1_000.0 / ROUNDS;
    if (print) {
      System.out.printf(Locale.ROOT, "grpc_conflict_check_us_%d: %.2f us%n", routes, micros);
      System.out.printf(Locale.ROOT, "grpc_index_keys_%d: %d%n", routes, index.keyCount());
    }
    if (denied && routes < 0) {
      System.out.println("unreachable; keeps the JIT from dropping the loops");
    }
  }

  private static long usedHeap() throws InterruptedException {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private static long rssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (Exception e) {
      // not Linux: no figure
    }
    return -1;
  }
}
