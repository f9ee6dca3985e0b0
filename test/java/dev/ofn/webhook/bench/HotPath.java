package dev.ofn.webhook.bench;

import dev.ofn.webhook.admission.AdmissionRequest;
import dev.ofn.webhook.admission.AdmissionResponse;
import dev.ofn.webhook.admission.Endpoint;
import dev.ofn.webhook.admission.ReviewHandler;
import dev.ofn.webhook.admission.Webhooks;
import dev.ofn.webhook.gateways.StaticGatewayCatalog;
import dev.ofn.webhook.routing.ConflictIndex;
import dev.ofn.webhook.server.ReviewCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * CPU cost of one admission request without the network: decode the review bytes, run the
 * endpoint's handler, encode the answer; single thread, after a JIT warm-up. {@code HotPath
 * BODIES_DIR [seconds]} prints {@code <endpoint>_core_us}: what the server adds on top of the echo
 * server's TLS and HTTP. Measured in thread CPU time, not wall time, so other processes on a shared
 * machine barely move it.
 */
public final class HotPath {
  private HotPath() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
    Map<Endpoint, ReviewHandler> handlers =
        new Webhooks(
                StaticGatewayCatalog.builtIn(),
                new ConflictIndex(),
                new Webhooks.Settings(true, true))
            .handlers();
    Map<String, Endpoint> cases = new java.util.LinkedHashMap<>();
    cases.put("mutate_function", Endpoint.MUTATE_FUNCTION);
    cases.put("validate_function", Endpoint.VALIDATE_FUNCTION);
    cases.put("validate_httproute", Endpoint.VALIDATE_HTTPROUTE);
    if (args.length > 2) { // one endpoint only, e.g. under a profiler
      cases.keySet().retainAll(java.util.Set.of(args[2]));
    }
    for (int round = 0; round < 2; round++) {
      for (Map.Entry<String, Endpoint> c : cases.entrySet()) {
        byte[] body = Files.readAllBytes(dir.resolve(c.getKey() + ".json"));
        ReviewHandler handler = handlers.get(c.getValue());
        long sink = 0;
        AdmissionResponse.Outcome outcome = null;
        long n = 0;
        java.lang.management.ThreadMXBean cpu =
            java.lang.management.ManagementFactory.getThreadMXBean();
        com.sun.management.ThreadMXBean bytes = (com.sun.management.ThreadMXBean) cpu;
        long allocatedBefore = bytes.getCurrentThreadAllocatedBytes();
        long start = cpu.getCurrentThreadCpuTime();
        long end = start + (long) (seconds * 1e9);
        long now;
        do {
          for (int i = 0; i < 100; i++) {
            AdmissionRequest request = ReviewCodec.decode(body);
            AdmissionResponse response = handler.review(request);
            outcome = response.outcome();
            sink += ReviewCodec.encode(request, response).length;
          }
          n += 100;
          now = cpu.getCurrentThreadCpuTime();
        } while (now < end);
        if (round == 1) {
          System.out.printf(
              Locale.ROOT,
              "%s_core_us: %.1f us (CPU per request, %s; sink %d)%n",
              c.getKey(),
              (now - start) / 1e3 / n,
              outcome.name().toLowerCase(Locale.ROOT),
              sink % 10);
          System.out.printf(
              Locale.ROOT,
              "%s_core_alloc_kb: %.1f KB (allocated per request)%n",
              c.getKey(),
              (bytes.getCurrentThreadAllocatedBytes() - allocatedBefore) / 1024.0 / n);
        }
      }
    }
  }
}
