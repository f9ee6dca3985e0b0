package dev.ofn.webhook.bench;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The benchmark's own HTTPS load generator (h2load measures throughput; it has no constant-rate
 * mode with percentiles). HTTP/2 over TLS like the apiserver's webhook client, {@code connections}
 * separate connections used round-robin, all on one client event loop.
 *
 * <ul>
 *   <li>{@code mode=rate}: open loop at a constant {@code rate}. Each request has an intended send
 *       time {@code start + i/rate}; its latency is measured from that time, not from when it was
 *       actually sent, so a stalled server is charged for the requests it delayed (no coordinated
 *       omission). Prints exact p50/p99/p99.9/max from all samples (no histogram buckets).
 *   <li>{@code mode=max}: closed loop with {@code inflight} requests outstanding; prints the rate.
 *   <li>{@code mode=distinct}: POSTs {@code count} Function CREATE reviews with distinct names and
 *       hostnames (fills a conflict index), {@code inflight} at a time.
 * </ul>
 *
 * <p>Arguments are {@code key=value}: {@code url}, {@code ca}, {@code body} (a file), {@code rate},
 * {@code duration} and {@code warmup} (seconds), {@code connections}, {@code inflight}, {@code
 * count}, {@code prefix} (the printed names' prefix).
 */
public final class LoadClient {
  private final Vertx vertx;
  private final List<HttpClientAgent> clients = new ArrayList<>();
  private final URI url;
  private int next;

  private LoadClient(Map<String, String> args) {
    url = URI.create(args.get("url"));
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    int connections = Integer.parseInt(args.getOrDefault("connections", "4"));
    for (int i = 0; i < connections; i++) {
      HttpClientOptions options =
          new HttpClientOptions()
              .setSsl(true)
              .setUseAlpn(true)
              .setProtocolVersion(HttpVersion.HTTP_2)
              .setTrustOptions(new PemTrustOptions().addCertPath(args.get("ca")))
              .setVerifyHost(true)
              .setHttp2MultiplexingLimit(-1)
              .setTcpNoDelay(true);
      clients.add(
          vertx.createHttpClient(options, new PoolOptions().setHttp2MaxSize(1).setHttp1MaxSize(1)));
    }
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new HashMap<>();
    for (String arg : argv) {
      int eq = arg.indexOf('=');
      args.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    LoadClient load = new LoadClient(args);
    try {
      String prefix = args.getOrDefault("prefix", "");
      switch (args.getOrDefault("mode", "rate")) {
        case "rate" ->
            load.rate(
                prefix,
                Buffer.buffer(Files.readAllBytes(Path.of(args.get("body")))),
                Double.parseDouble(args.get("rate")),
                seconds(args, "warmup", 5),
                seconds(args, "duration", 15));
        case "max" ->
            load.max(
                prefix,
                Buffer.buffer(Files.readAllBytes(Path.of(args.get("body")))),
                Integer.parseInt(args.getOrDefault("inflight", "32")),
                seconds(args, "warmup", 3),
                seconds(args, "duration", 8));
        case "distinct" ->
            load.distinct(
                prefix,
                Integer.parseInt(args.get("count")),
                Integer.parseInt(args.getOrDefault("inflight", "32")));
        default -> throw new IllegalArgumentException("mode=rate|max|distinct");
      }
    } finally {
      load.vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static long seconds(Map<String, String> args, String key, double fallback) {
    return (long) (Double.parseDouble(args.getOrDefault(key, String.valueOf(fallback))) * 1e9);
  }

  /** One POST on the next connection; {@code done} gets the HTTP status, or -1 when it failed. */
  private void post(Buffer body, java.util.function.IntConsumer done) {
    HttpClientAgent client = clients.get(next++ % clients.size());
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost(url.getHost())
            .setPort(url.getPort())
            .setURI(url.getRawPath() + "?timeout=10s")
            .putHeader("Content-Type", "application/json");
    client
        .request(request)
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .onComplete(ar -> done.accept(ar.succeeded() ? ar.result() : -1));
  }

  private void rate(String prefix, Buffer body, double rate, long warmupNanos, long durationNanos)
      throws Exception {
    long period = (long) (1e9 / rate);
    int capacity = (int) (rate * (durationNanos / 1e9)) + 16;
    long[] latencies = new long[capacity];
    int[] counts = new int[3]; // recorded, errors, in flight
    Promise<Void> finished = Promise.promise();
    vertx.runOnContext(
        v -> {
          long start = System.nanoTime();
          long measureFrom = start + warmupNanos;
          long end = measureFrom + durationNanos;
          long[] intended = {start};
          vertx.setPeriodic(
              1,
              timer -> {
                long now = System.nanoTime();
                while (intended[0] <= now && intended[0] < end) {
                  long at = intended[0];
                  intended[0] += period;
                  counts[2]++;
                  post(
                      body,
                      status -> {
                        counts[2]--;
                        if (at >= measureFrom) {
                          if (status != 200) {
                            counts[1]++;
                          } else if (counts[0] < latencies.length) {
                            latencies[counts[0]++] = System.nanoTime() - at;
                          }
                        }
                        if (intended[0] >= end && counts[2] == 0) {
                          finished.tryComplete();
                        }
                      });
                }
                if (intended[0] >= end) {
                  vertx.cancelTimer(timer);
                }
              });
        });
    finished
        .future()
        .toCompletionStage()
        .toCompletableFuture()
        .get(durationNanos / 1_000_000 + warmupNanos / 1_000_000 + 60_000, TimeUnit.MILLISECONDS);
    long[] sorted = Arrays.copyOf(latencies, counts[0]);
    Arrays.sort(sorted);
    print(prefix + "target_rps", rate, "req/s");
    print(prefix + "achieved_rps", counts[0] / (durationNanos / 1e9), "req/s");
    print(prefix + "p50_ms", percentile(sorted, 0.50), "ms");
    print(prefix + "p99_ms", percentile(sorted, 0.99), "ms");
    print(prefix + "p999_ms", percentile(sorted, 0.999), "ms");
    print(
        prefix + "max_ms", sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6, "ms");
    System.out.println(prefix + "errors: " + counts[1]);
  }

  private void max(String prefix, Buffer body, int inflight, long warmupNanos, long durationNanos)
      throws Exception {
    closedLoop(prefix, i -> body, inflight, Integer.MAX_VALUE, warmupNanos, durationNanos);
  }

  private void distinct(String prefix, int count, int inflight) throws Exception {
    ReviewBodies reviews = new ReviewBodies();
    closedLoop(
        prefix, i -> Buffer.buffer(reviews.create(i)), inflight, count, 0, Long.MAX_VALUE / 4);
  }

  private void closedLoop(
      String prefix,
      IntFunction<Buffer> bodies,
      int inflight,
      int count,
      long warmupNanos,
      long durationNanos)
      throws Exception {
    int[] state = new int[4]; // sent, measured completions, errors, outstanding
    long[] window = new long[2];
    Promise<Void> finished = Promise.promise();
    vertx.runOnContext(
        v -> {
          window[0] = System.nanoTime() + warmupNanos;
          window[1] = window[0] + durationNanos;
          Runnable[] send = new Runnable[1];
          send[0] =
              () -> {
                if (state[0] >= count || System.nanoTime() >= window[1]) {
                  if (state[3] == 0) {
                    finished.tryComplete();
                  }
                  return;
                }
                Buffer body = bodies.apply(state[0]++);
                state[3]++;
                post(
                    body,
                    status -> {
                      state[3]--;
                      long now = System.nanoTime();
                      if (status != 200) {
                        state[2]++;
                      } else if (now >= window[0] && now < window[1]) {
                        state[1]++;
                      }
                      send[0].run();
                    });
              };
          for (int i = 0; i < inflight; i++) {
            send[0].run();
          }
        });
    long started = System.nanoTime();
    finished.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
    double seconds = Math.min(durationNanos, System.nanoTime() - started - warmupNanos) / 1e9;
    print(prefix + "rps", state[1] / seconds, "req/s");
    System.out.println(prefix + "requests: " + state[0]);
    System.out.println(prefix + "errors: " + state[2]);
  }

  static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
  }

  private static void print(String name, double value, String unit) {
    System.out.printf(
        Locale.ROOT,
        "%s: %s %s%n",
        name,
        value >= 100
            ? String.format(Locale.ROOT, "%.0f", value)
            : String.format(Locale.ROOT, "%.3f", value),
        unit);
  }
}
