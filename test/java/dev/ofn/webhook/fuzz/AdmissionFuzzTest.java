package dev.ofn.webhook.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.admission.Endpoint;
import dev.ofn.webhook.cli.TestServer;
import dev.ofn.webhook.json.Json;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bounded fuzzing of the running server (docs/behaviour.md §1 robustness): ~10,000 damaged
 * AdmissionReviews POSTed over real HTTPS to every endpoint. Every answer must be 200 (a
 * well-formed review, never a 500 denial, never "failed internally"), 400 or 413 with a body; the
 * server logs no ERROR, no exception and no blocked event loop, its {@code outcome="error"} counter
 * stays 0, and it still answers a valid review right afterwards.
 *
 * <p>Seeded: a failure prints the run seed and each failing case's own seed. Replay with {@code mvn
 * test -Dtest=AdmissionFuzzTest -Dfuzz.seed=<run seed>}, or one case with {@code -Dfuzz.case=<case
 * seed>}; {@code -Dfuzz.cases=N} changes the count.
 */
class AdmissionFuzzTest {
  private static final int CASES = Integer.getInteger("fuzz.cases", 10_000);
  private static final int IN_FLIGHT = 8;
  private static final int MAX_REPORTED = 15;

  @Test
  void damagedReviewsNeverBreakTheServer() throws Exception {
    long runSeed = Long.getLong("fuzz.seed", new Random().nextLong());
    Mutations mutations = new Mutations();
    List<String> failures = new ArrayList<>();
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<long[]> slow = new ConcurrentLinkedQueue<>();
    AtomicIntegerArray statuses = new AtomicIntegerArray(600);
    Tee tee = Tee.install();
    long started = System.nanoTime();
    try (TestServer server = TestServer.start()) {
      // one valid review first, so the slowest-case figures are not the TLS handshake and the cold
      // JIT
      server.review(
          Endpoint.MUTATE_FUNCTION,
          "CREATE",
          Fixtures.load("function-sample-serving-only.yaml", "default"),
          null);
      Random run = new Random(runSeed);
      Semaphore permits = new Semaphore(IN_FLIGHT);
      List<CompletableFuture<?>> pending = new ArrayList<>();
      Long only = Long.getLong("fuzz.case");
      int cases = only == null ? CASES : 1;
      for (int i = 0; i < cases; i++) {
        Mutations.Case fuzz = mutations.next(only == null ? run.nextLong() : only);
        if (only != null) {
          System.out.println("replaying " + fuzz);
        }
        permits.acquire();
        long sent = System.nanoTime();
        CompletableFuture<?> done =
            server
                .client
                .sendAsync(request(server, fuzz), HttpResponse.BodyHandlers.ofByteArray())
                .handle(
                    (response, error) -> {
                      try {
                        long micros = (System.nanoTime() - sent) / 1000;
                        slow.add(new long[] {micros, fuzz.seed()});
                        if (error != null) {
                          problems.add("no answer (" + error + ") to " + fuzz);
                        } else {
                          statuses.incrementAndGet(Math.min(response.statusCode(), 599));
                          String problem =
                              Verdicts.check(fuzz, response.statusCode(), response.body());
                          if (problem != null) {
                            problems.add(problem + "\n    " + fuzz);
                          }
                        }
                      } catch (RuntimeException e) {
                        problems.add("checking the answer threw " + e + "\n    " + fuzz);
                      } finally {
                        permits.release();
                      }
                      return null;
                    });
        pending.add(done);
      }
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);

      failures.addAll(problems.stream().limit(MAX_REPORTED).toList());
      if (problems.size() > MAX_REPORTED) {
        failures.add("… and " + (problems.size() - MAX_REPORTED) + " more failing cases");
      }
      String metrics = get(server, server.server.probePort(), "/metrics").body();
      metrics
          .lines()
          .filter(
              l -> l.startsWith("ofn_webhook_requests_total{") && l.contains("outcome=\"error\""))
          .filter(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) > 0)
          .forEach(l -> failures.add("internal errors counted: " + l));
      stillHealthy(server, failures);
    } finally {
      tee.uninstall();
    }
    tee.captured()
        .lines()
        .filter(
            l ->
                l.contains("[ERROR]")
                    || l.contains("Exception")
                    || l.contains("has been blocked")
                    || l.contains("BlockedThreadChecker"))
        .limit(MAX_REPORTED)
        .forEach(l -> failures.add("server log: " + l));

    double seconds = (System.nanoTime() - started) / 1e9;
    StringBuilder summary =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "fuzz: %d cases in %.1f s, seed %d; HTTP",
                Long.getLong("fuzz.case") == null ? CASES : 1,
                seconds,
                runSeed));
    for (int s = 0; s < statuses.length(); s++) {
      if (statuses.get(s) > 0) {
        summary.append(' ').append(s).append('×').append(statuses.get(s));
      }
    }
    summary.append("; slowest (µs, case seed):");
    slow.stream()
        .sorted(Comparator.comparingLong((long[] a) -> a[0]).reversed())
        .limit(3)
        .forEach(a -> summary.append(' ').append(a[0]).append(" (").append(a[1]).append(')'));
    System.out.println(summary);
    if (!failures.isEmpty()) {
      fail(
          "fuzzing with seed "
              + runSeed
              + " (replay: -Dfuzz.seed="
              + runSeed
              + ") found:\n  "
              + String.join("\n  ", failures));
    }
  }

  private static HttpRequest request(TestServer server, Mutations.Case fuzz) {
    return HttpRequest.newBuilder(server.uri(fuzz.endpoint().path + "?timeout=10s"))
        .header("Content-Type", fuzz.contentType())
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(fuzz.body()))
        .build();
  }

  private static HttpResponse<String> get(TestServer server, int port, String path)
      throws Exception {
    return server.client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void stillHealthy(TestServer server, List<String> failures) throws Exception {
    HttpResponse<String> health = get(server, server.server.probePort(), "/healthz");
    if (health.statusCode() != 200) {
      failures.add("/healthz after fuzzing: " + health.statusCode() + " " + health.body());
    }
    ObjectNode function = Fixtures.load("function-sample-serving-only.yaml", "default");
    JsonNode mutated = server.review(Endpoint.MUTATE_FUNCTION, "CREATE", function, null);
    JsonNode patched = JsonPatch.apply(Verdicts.patch(mutated), function);
    if (!"function-sample-serving-only.default.ofn.io"
        .equals(patched.at("/spec/serving/triggers/http/route/hostnames/0").asString(""))) {
      failures.add("a valid Function after fuzzing was defaulted wrong: " + mutated);
    }
    JsonNode validated = server.review(Endpoint.VALIDATE_FUNCTION, "CREATE", patched, null);
    if (!validated.path("allowed").asBoolean(false)) {
      failures.add("a valid Function after fuzzing was denied: " + validated);
    }
  }

  /** What a fuzz answer must look like; null when it does. */
  static final class Verdicts {
    private Verdicts() {}

    static String check(Mutations.Case fuzz, int status, byte[] body) {
      if (status != 200 && status != 400 && status != 413) {
        return "HTTP " + status + ": " + new String(body, StandardCharsets.UTF_8);
      }
      if (body.length == 0) {
        return "HTTP " + status + " without a body";
      }
      if (status != 200) {
        return null;
      }
      JsonNode review;
      try {
        review = Json.MAPPER.readTree(body);
      } catch (RuntimeException e) {
        return "HTTP 200 whose body is not JSON (" + e.getMessage() + ")";
      }
      JsonNode response = review.path("response");
      if (!"AdmissionReview".equals(review.path("kind").asString(""))) {
        return "HTTP 200 that is not an AdmissionReview: " + review;
      }
      if (fuzz.apiVersion() != null
          && !fuzz.apiVersion().equals(review.path("apiVersion").asString(""))) {
        return "answered in "
            + review.path("apiVersion")
            + " to a "
            + fuzz.apiVersion()
            + " review";
      }
      if (fuzz.uid() != null && !fuzz.uid().equals(response.path("uid").asString(""))) {
        return "uid not echoed: " + response.path("uid");
      }
      if (!response.path("allowed").isBoolean()) {
        return "no allowed boolean: " + response;
      }
      for (JsonNode warning : response.path("warnings")) {
        if (warning.asString("").length() > 120) {
          return "warning over 120 chars: " + warning;
        }
        if (warning.asString("").contains("internal error")) {
          return "mutating handler failed internally: " + warning;
        }
      }
      if (!response.path("allowed").booleanValue()) {
        int code = response.path("status").path("code").asInt(0);
        if (code != 400 && code != 403) {
          return "denied with status.code " + code + ": " + response.path("status");
        }
        if (response.path("status").path("message").asString("").isEmpty()) {
          return "denied without a message: " + response;
        }
        return null;
      }
      if (response.has("patch")) {
        if (!"JSONPatch".equals(response.path("patchType").asString(""))) {
          return "patch without patchType JSONPatch: " + response;
        }
        JsonNode ops = patch(response);
        if (!ops.isArray() || ops.isEmpty()) {
          return "patch is not a non-empty op list: " + ops;
        }
        if (fuzz.object() != null) {
          try {
            JsonPatch.apply(ops, fuzz.object());
          } catch (RuntimeException e) {
            return "patch does not apply to the object sent (" + e.getMessage() + "): " + ops;
          }
        }
      }
      return null;
    }

    static JsonNode patch(JsonNode response) {
      return Json.MAPPER.readTree(Base64.getDecoder().decode(response.path("patch").asString()));
    }
  }

  /** Copies System.err (where Logback logs, and Vert.x through it) while still printing it. */
  static final class Tee extends OutputStream {
    private final PrintStream original;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    private Tee(PrintStream original) {
      this.original = original;
    }

    static Tee install() {
      Tee tee = new Tee(System.err);
      System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
      return tee;
    }

    void uninstall() {
      System.setErr(original);
    }

    @Override
    public synchronized void write(int b) {
      original.write(b);
      copy.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      original.write(b, off, len);
      copy.write(b, off, len);
    }

    synchronized String captured() {
      return copy.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void theLogCaptureSeesServerErrors() {
    // guards the log assertion above: Logback must write to the current System.err, not a
    // cached one
    Tee tee = Tee.install();
    try {
      org.slf4j.LoggerFactory.getLogger(dev.ofn.webhook.admission.MutatingReview.class)
          .error("probe line");
    } finally {
      tee.uninstall();
    }
    assertTrue(
        tee.captured().contains("[ERROR]") && tee.captured().contains("probe line"),
        tee.captured());
  }
}
