package dev.ofn.webhook.server;

import dev.ofn.webhook.admission.AdmissionRequest;
import dev.ofn.webhook.admission.Endpoint;
import dev.ofn.webhook.admission.ReviewHandler;
import dev.ofn.webhook.json.Json;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Makes the server fast from its first real request: it answers dry-run reviews of bundled sample
 * objects ({@code warmup/} in the jar: a Function as written and as defaulted, CREATE and UPDATE,
 * the default OFN Gateway, an HTTPRoute) straight through its handlers (decode, review, encode, as
 * {@link AdmissionServer} calls them), so that they are JIT-compiled before the apiserver's first
 * call. At the apiserver's rate (a few to a few hundred reviews per second) they would otherwise
 * stay interpreted or in C1's profiling code for minutes (~1 ms per review instead of a few tens of
 * microseconds).
 *
 * <p>Optionally also over HTTPS and HTTP/2 through a private loopback listener with the same
 * options, handlers and certificate (TLS, framing, routing, body handling). Not by default: the
 * Vert.x client that takes makes Netty's call sites, shared with the server, megamorphic; the
 * server's saturation throughput fell to a third after 260 such reviews.
 *
 * <p>Dry runs have no side effects (no conflict-index reservation), the warm-up is not counted in
 * the metrics, and a review whose handler would block (a live API read, e.g. a Function whose
 * Gateway is not cached) is left out.
 */
public final class WarmUp {
  /** What a warm-up did. */
  public record Result(int direct, int overTheWire, int failed, long millis, boolean timedOut) {}

  private static final int IN_FLIGHT = 4;

  /** The HTTPS part's own limit (a safety net: it is a few dozen reviews). */
  public static final Duration WIRE_CAP = Duration.ofSeconds(10);

  /** Clients (so TLS handshakes) the HTTPS part is spread over. */
  private static final int CLIENTS = 2;

  private WarmUp() {}

  /**
   * Runs {@code wireRounds} rounds over HTTPS (TLS handshakes, HTTP/2, routing, body handling and
   * the core; within {@link #WIRE_CAP}), then {@code directRounds} straight through the handlers
   * (decode, review, encode, as {@link AdmissionServer} calls them; no TLS on either side, so
   * several times cheaper) while {@code budget} (counted from the start) lasts. A round: the
   * Function reviews, an HTTPRoute review, and every tenth round the Gateway reviews.
   */
  public static Result run(
      Vertx vertx,
      Map<Endpoint, ReviewHandler> handlers,
      ServingCert cert,
      boolean http2,
      int wireRounds,
      int directRounds,
      Duration budget) {
    long start = System.nanoTime();
    long deadline = start + budget.toNanos();
    Samples samples = new Samples(handlers);
    List<Review> plan = new ArrayList<>();
    for (int i = 0; i < wireRounds; i++) {
      plan.addAll(samples.round(i));
    }
    Wire wire =
        plan.isEmpty()
            ? new Wire(0, 0, false)
            : overHttps(
                vertx, handlers, cert, http2, plan, Math.min(deadline, start + WIRE_CAP.toNanos()));
    int direct = 0;
    int failed = wire.failed();
    int i = 0;
    for (; i < directRounds && System.nanoTime() < deadline; i++) {
      for (Review review : samples.round(i)) {
        failed += answer(handlers, review) ? 0 : 1;
        direct++;
      }
    }
    return new Result(
        direct,
        wire.answered(),
        failed,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
        wire.timedOut() || i < directRounds);
  }

  /**
   * More rounds straight through the handlers, on the calling thread, after the server is ready:
   * each round is followed by a pause as long as it took, so that real reviews on the event loops
   * keep most of the machine. Returns the reviews answered; stops early when interrupted.
   */
  public static int background(Map<Endpoint, ReviewHandler> handlers, int rounds) {
    Samples samples = new Samples(handlers);
    int answered = 0;
    for (int i = 0; i < rounds && !Thread.currentThread().isInterrupted(); i++) {
      long roundStart = System.nanoTime();
      for (Review review : samples.round(i)) {
        answer(handlers, review);
        answered++;
      }
      try {
        TimeUnit.NANOSECONDS.sleep(System.nanoTime() - roundStart);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return answered;
  }

  /** The bundled reviews that can run here (none that would make a live API read). */
  private static final class Samples {
    private final List<Review> round = new ArrayList<>();
    private final List<Review> withGateways = new ArrayList<>();

    Samples(Map<Endpoint, ReviewHandler> handlers) {
      List<Review> gateways = new ArrayList<>();
      for (Review review : reviews()) {
        ReviewHandler handler = handlers.get(review.endpoint());
        if (handler == null || mayBlock(handler, review.body())) {
          continue;
        }
        (review.endpoint() == Endpoint.MUTATE_GATEWAY
                    || review.endpoint() == Endpoint.VALIDATE_GATEWAY
                ? gateways
                : round)
            .add(review);
      }
      withGateways.addAll(round);
      withGateways.addAll(gateways);
    }

    /** Round {@code i}: the Gateway reviews only every tenth (they are rare in real traffic). */
    List<Review> round(int i) {
      return i % 10 == 0 ? withGateways : round;
    }
  }

  private static boolean answer(Map<Endpoint, ReviewHandler> handlers, Review review) {
    try {
      AdmissionRequest request = ReviewCodec.decode(review.body().getBytes());
      ReviewCodec.encode(request, handlers.get(review.endpoint()).review(request));
      return true;
    } catch (BadReviewException | RuntimeException e) {
      return false;
    }
  }

  private record Wire(int answered, int failed, boolean timedOut) {}

  /** The plan over HTTPS through a private listener, spread over {@link #CLIENTS} clients. */
  private static Wire overHttps(
      Vertx vertx,
      Map<Endpoint, ReviewHandler> handlers,
      ServingCert cert,
      boolean http2,
      List<Review> plan,
      long deadline) {
    AdmissionServer server =
        new AdmissionServer(
            vertx,
            new AdmissionServer.Options("127.0.0.1", 0, http2, 1),
            handlers,
            RequestObserver.NONE);
    AtomicInteger failed = new AtomicInteger();
    int answered = 0;
    boolean timedOut = false;
    try {
      await(server.start(cert), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      // a few clients one after the other: the TLS handshake is warmed too (the apiserver makes a
      // new connection to every new server process)
      int perClient = (plan.size() + CLIENTS - 1) / CLIENTS;
      for (int c = 0; c < CLIENTS && c * perClient < plan.size() && !timedOut; c++) {
        HttpClientAgent client =
            vertx.createHttpClient(
                new HttpClientOptions()
                    .setSsl(true)
                    // our own listener on loopback, with the certificate we serve
                    .setTrustAll(true)
                    .setVerifyHost(false)
                    .setUseAlpn(http2)
                    .setProtocolVersion(http2 ? HttpVersion.HTTP_2 : HttpVersion.HTTP_1_1)
                    .setDefaultHost("127.0.0.1")
                    .setDefaultPort(server.port()),
                new PoolOptions().setHttp1MaxSize(IN_FLIGHT).setHttp2MaxSize(1));
        try {
          Promise<Void> done = Promise.promise();
          Sender sender =
              new Sender(
                  client,
                  plan.subList(c * perClient, Math.min(plan.size(), (c + 1) * perClient)),
                  deadline,
                  failed,
                  done);
          for (int i = 0; i < IN_FLIGHT; i++) {
            sender.next();
          }
          try {
            await(done.future(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
          } catch (IllegalStateException e) {
            timedOut = true;
          }
          answered += sender.answered.get();
          timedOut |= sender.stopped;
        } finally {
          client.close();
        }
      }
    } catch (IllegalStateException e) {
      timedOut = true;
    } finally {
      try {
        await(server.shutdown(Duration.ZERO), Duration.ofSeconds(5));
      } catch (IllegalStateException e) {
        // the private listener only lingers; nothing depends on it
      }
    }
    return new Wire(answered, failed.get(), timedOut);
  }

  /** Issues the plan's requests, at most {@link #IN_FLIGHT} at a time, until done or too late. */
  private static final class Sender {
    private final HttpClientAgent client;
    private final List<Review> plan;
    private final long deadline;
    private final AtomicInteger failed;
    private final Promise<Void> done;
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private volatile boolean stopped;

    Sender(
        HttpClientAgent client,
        List<Review> plan,
        long deadline,
        AtomicInteger failed,
        Promise<Void> done) {
      this.client = client;
      this.plan = plan;
      this.deadline = deadline;
      this.failed = failed;
      this.done = done;
    }

    /** Issues the next request, or completes {@code done} once nothing is left in flight. */
    void next() {
      inFlight.incrementAndGet();
      int i = issued.getAndIncrement();
      if (i >= plan.size() || System.nanoTime() > deadline) {
        if (i < plan.size()) {
          stopped = true;
        }
        settle();
        return;
      }
      Review review = plan.get(i);
      client
          .request(
              new RequestOptions()
                  .setMethod(HttpMethod.POST)
                  .setURI(review.endpoint().path + "?timeout=10s")
                  .putHeader("Content-Type", "application/json"))
          .compose(request -> request.send(review.body().copy()))
          .compose(response -> response.body().map(body -> response.statusCode()))
          .onComplete(
              status -> {
                answered.incrementAndGet();
                if (status.failed() || status.result() != 200) {
                  failed.incrementAndGet();
                }
                next();
                settle();
              });
    }

    private void settle() {
      if (inFlight.decrementAndGet() == 0) {
        done.tryComplete();
      }
    }
  }

  private record Review(Endpoint endpoint, Buffer body) {}

  private static boolean mayBlock(ReviewHandler handler, Buffer body) {
    try {
      return handler.mayBlock(ReviewCodec.decode(body.getBytes()));
    } catch (BadReviewException e) {
      return true;
    }
  }

  /** The sample reviews, one per endpoint and operation, all dry runs. */
  private static List<Review> reviews() {
    JsonNode function = load("warmup/function.json");
    JsonNode defaulted = load("warmup/function-defaulted.json");
    JsonNode route = load("warmup/httproute.json");
    ObjectNode gateway;
    try (InputStream in = resource("default-gateway.yaml")) {
      gateway = (ObjectNode) Json.YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Json.objectAt(gateway, "metadata")
        .put("name", "ofn-webhook-warm-up")
        .put("namespace", "default");
    return List.of(
        new Review(Endpoint.MUTATE_FUNCTION, review("CREATE", function, null)),
        new Review(Endpoint.VALIDATE_FUNCTION, review("CREATE", defaulted, null)),
        new Review(Endpoint.MUTATE_FUNCTION, review("UPDATE", defaulted, defaulted)),
        new Review(Endpoint.VALIDATE_FUNCTION, review("UPDATE", defaulted, defaulted)),
        new Review(Endpoint.VALIDATE_HTTPROUTE, review("CREATE", route, null)),
        new Review(Endpoint.MUTATE_GATEWAY, review("CREATE", gateway, null)),
        new Review(Endpoint.VALIDATE_GATEWAY, review("CREATE", gateway, null)));
  }

  private static Buffer review(String operation, JsonNode object, JsonNode oldObject) {
    String apiVersion = object.path("apiVersion").asString("");
    int slash = apiVersion.indexOf('/');
    String kind = object.path("kind").asString("");
    ObjectNode review = Json.object();
    review.put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
    ObjectNode request = review.putObject("request");
    request.put("uid", "ofn-webhook-warm-up");
    ObjectNode gvk =
        Json.object()
            .put("group", slash < 0 ? "" : apiVersion.substring(0, slash))
            .put("version", apiVersion.substring(slash + 1))
            .put("kind", kind);
    ObjectNode gvr =
        Json.object()
            .put("group", gvk.path("group").asString())
            .put("version", gvk.path("version").asString())
            .put("resource", kind.toLowerCase(java.util.Locale.ROOT) + "s");
    request.set("kind", gvk);
    request.set("resource", gvr);
    request.set("requestKind", gvk.deepCopy());
    request.set("requestResource", gvr.deepCopy());
    request.put("name", object.path("metadata").path("name").asString(""));
    request.put("namespace", object.path("metadata").path("namespace").asString(""));
    request.put("operation", operation);
    request.putObject("userInfo").put("username", "system:ofn-webhook:warm-up");
    request.set("object", object);
    request.set("oldObject", oldObject);
    request.put("dryRun", true);
    request
        .putObject("options")
        .put("kind", "CREATE".equals(operation) ? "CreateOptions" : "UpdateOptions")
        .put("apiVersion", "meta.k8s.io/v1");
    return Buffer.buffer(Json.MAPPER.writeValueAsBytes(review));
  }

  private static JsonNode load(String name) {
    try (InputStream in = resource(name)) {
      return Json.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = WarmUp.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IOException("missing from the jar: " + name);
    }
    return in;
  }

  private static <T> T await(Future<T> future, Duration timeout) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("warm-up: no answer within " + timeout, e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("warm-up: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("warm-up interrupted", e);
    }
  }
}
