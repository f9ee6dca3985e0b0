package dev.ofn.webhook.app;

import dev.ofn.webhook.Daemons;
import dev.ofn.webhook.admission.Endpoint;
import dev.ofn.webhook.admission.ReviewHandler;
import dev.ofn.webhook.server.Readiness;
import dev.ofn.webhook.server.WarmUp;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fast from the first request ({@link WarmUp}): once every other readiness check passes (the
 * informers' caches decide which reviews can run without a live API read), the server answers
 * {@code --warmup} rounds of dry-run reviews straight through its handlers (0: no warm-up at all)
 * for at most {@code --warmup-budget} and only then reports ready; then, in the background, {@code
 * --warmup-https} rounds over HTTPS (TLS, HTTP/2: a private listener) and {@code --warmup-after}
 * rounds straight through the handlers at half duty.
 */
final class WarmUpRun {
  private static final Logger LOG = LoggerFactory.getLogger(WarmUpRun.class);

  private WarmUpRun() {}

  static void start(
      ServeConfig config,
      Vertx vertx,
      Map<Endpoint, ReviewHandler> handlers,
      ServingCertificates certificates,
      Readiness readiness,
      Steps steps) {
    ServeConfig.WarmUpPlan plan = config.warmUp();
    if (plan.before() <= 0) {
      return;
    }
    AtomicBoolean warm = new AtomicBoolean();
    AtomicBoolean stopping = new AtomicBoolean();
    readiness.add("warm-up", warm::get);
    Thread thread =
        Daemons.thread(
            "ofn-warm-up",
            () -> {
              try {
                while (!List.of("warm-up").equals(readiness.failing())) {
                  if (stopping.get() || readiness.failing().contains("shutting down")) {
                    return;
                  }
                  Thread.sleep(20);
                }
                before(config, vertx, handlers, certificates);
                warm.set(true);
                after(config, vertx, handlers, certificates);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException e) {
                LOG.warn("warm-up failed, serving unwarmed: {}", e.toString());
              } finally {
                warm.set(true);
              }
            });
    steps.started(
        "warm-up",
        () -> {
          stopping.set(true);
          thread.interrupt();
        });
    thread.start();
  }

  private static void before(
      ServeConfig config,
      Vertx vertx,
      Map<Endpoint, ReviewHandler> handlers,
      ServingCertificates certificates) {
    Duration budget = config.warmUp().budget();
    WarmUp.Result result =
        WarmUp.run(
            vertx,
            handlers,
            certificates.serving(),
            config.http2(),
            0,
            config.warmUp().before(),
            budget);
    LOG.info(
        "warm-up: {} dry-run reviews ({} over HTTPS) in {} ms{}{}",
        result.direct() + result.overTheWire(),
        result.overTheWire(),
        result.millis(),
        result.failed() > 0 ? ", " + result.failed() + " not answered 200" : "",
        result.timedOut() ? " (budget of " + budget.toMillis() + " ms reached)" : "");
  }

  private static void after(
      ServeConfig config,
      Vertx vertx,
      Map<Endpoint, ReviewHandler> handlers,
      ServingCertificates certificates) {
    int after = config.warmUp().after();
    if (after <= 0) {
      return;
    }
    long start = System.nanoTime();
    // over HTTPS only when asked: a Vert.x client in this process shares Netty's call sites with
    // the server and makes them megamorphic (saturation throughput fell to a third with 260 such
    // reviews)
    WarmUp.Result wire =
        WarmUp.run(
            vertx,
            handlers,
            certificates.serving(),
            config.http2(),
            config.warmUp().overHttps(),
            0,
            WarmUp.WIRE_CAP);
    int reviews = WarmUp.background(handlers, after);
    LOG.info(
        "warm-up after ready: {} reviews over HTTPS, {} more direct, in {} ms",
        wire.overTheWire(),
        reviews,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }
}
