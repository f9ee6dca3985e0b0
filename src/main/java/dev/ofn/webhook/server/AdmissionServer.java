package dev.ofn.webhook.server;

import dev.ofn.webhook.admission.AdmissionRequest;
import dev.ofn.webhook.admission.AdmissionResponse;
import dev.ofn.webhook.admission.Endpoint;
import dev.ofn.webhook.admission.ReviewHandler;
import io.netty.buffer.ByteBuf;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS admission endpoint: TLS 1.2+, HTTP/2 (with reset-flood limits) and HTTP/1.1, one route
 * per {@link Endpoint}. The apiserver's {@code ?timeout=} query is ignored by path routing.
 */
public final class AdmissionServer {
  private static final Logger LOG = LoggerFactory.getLogger(AdmissionServer.class);

  /**
   * Largest AdmissionReview accepted. A review carries {@code object} and {@code oldObject}, each
   * up to the ~1.5 MiB etcd stores (the apiserver itself accepts request bodies up to 3 MiB), plus
   * the envelope and user info; 7 MiB, as controller-runtime allows, leaves room for both without
   * letting a runaway client fill the heap.
   */
  public static final int MAX_BODY = 7 * 1024 * 1024;

  /** {@code instances}: listeners sharing the port, one per event loop. */
  public record Options(String host, int port, boolean http2, int instances) {
    public Options(String host, int port, boolean http2) {
      this(host, port, http2, defaultInstances());
    }

    /** As many as the event loops {@code webhook serve} creates: one per core, at least two. */
    public static int defaultInstances() {
      return Math.max(2, Runtime.getRuntime().availableProcessors());
    }
  }

  private final Vertx vertx;
  private final Options options;
  private final Map<Endpoint, ReviewHandler> handlers;
  private final RequestObserver observer;
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

  public AdmissionServer(
      Vertx vertx,
      Options options,
      Map<Endpoint, ReviewHandler> handlers,
      RequestObserver observer) {
    this.vertx = vertx;
    this.options = options;
    this.handlers = Map.copyOf(handlers);
    this.observer = observer;
  }

  /**
   * Starts one listener per event loop on the same port: Vert.x hands accepted connections to the
   * listeners of one port in turn, each on its own event loop. A single listener would serve every
   * connection from one event loop, i.e. one core, however many cores the pod has.
   */
  public Future<HttpServer> start(ServingCert cert) {
    HttpServerOptions serverOptions = httpOptions(options, cert);
    // port 0 binds a new random port per listener; a negative port is one random port they share
    int port = options.port() == 0 ? -1 - (System.identityHashCode(this) & 0x7fff) : options.port();
    Promise<HttpServer> first = Promise.promise();
    return vertx
        .deployVerticle(
            () ->
                new VerticleBase() {
                  @Override
                  public Future<?> start() {
                    return vertx
                        .createHttpServer(serverOptions)
                        .requestHandler(router())
                        .listen(port, options.host())
                        .onSuccess(
                            server -> {
                              servers.add(server);
                              first.tryComplete(server);
                            });
                  }
                },
            new DeploymentOptions().setInstances(Math.max(1, options.instances())))
        .compose(id -> first.future());
  }

  /**
   * The listener's options (TLS, ALPN, limits); public so the benchmark's echo server is tuned
   * identically.
   */
  public static HttpServerOptions httpOptions(Options options, ServingCert cert) {
    return new HttpServerOptions()
        .setHost(options.host())
        .setPort(options.port())
        .setSsl(true)
        .setKeyCertOptions(keyCert(cert))
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
        .setUseAlpn(options.http2())
        .setAlpnVersions(
            options.http2()
                ? List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1)
                : List.of(HttpVersion.HTTP_1_1))
        // CVE-2023-44487 ("rapid reset"): cap client stream resets per window
        .setHttp2RstFloodMaxRstFramePerWindow(200)
        .setHttp2RstFloodWindowDuration(30)
        .setHttp2RstFloodWindowDurationTimeUnit(TimeUnit.SECONDS)
        .setMaxHeaderSize(16 * 1024)
        .setIdleTimeout(120)
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setTcpNoDelay(true);
  }

  /**
   * Swaps the served certificate in place: open connections keep theirs, new handshakes get the new
   * one.
   */
  public Future<Boolean> reload(ServingCert cert) {
    ServerSSLOptions ssl =
        new ServerSSLOptions()
            .setKeyCertOptions(keyCert(cert))
            .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
            .setUseAlpn(options.http2());
    List<Future<Boolean>> updates =
        servers.stream().map(server -> server.updateSSLOptions(ssl, true)).toList();
    return Future.all(updates).map(all -> updates.stream().allMatch(Future::result));
  }

  public int port() {
    return servers.get(0).actualPort();
  }

  public Future<Void> shutdown(Duration grace) {
    return Future.all(servers.stream().map(server -> server.shutdown(grace)).toList()).mapEmpty();
  }

  private static PemKeyCertOptions keyCert(ServingCert cert) {
    return new PemKeyCertOptions()
        .setCertValue(Buffer.buffer(cert.certPem()))
        .setKeyValue(Buffer.buffer(cert.keyPem()));
  }

  private Router router() {
    Router router = Router.router(vertx);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY);
    for (Map.Entry<Endpoint, ReviewHandler> entry : handlers.entrySet()) {
      Endpoint endpoint = entry.getKey();
      ReviewHandler handler = entry.getValue();
      router
          .post(endpoint.path)
          .consumes("application/json")
          .handler(body)
          .handler(ctx -> answer(ctx, endpoint, handler));
    }
    router.errorHandler(413, ctx -> plain(ctx, 413, "request body over " + MAX_BODY + " bytes"));
    router.errorHandler(
        405, ctx -> plain(ctx, 405, "method not allowed: admission reviews are POSTed"));
    router.errorHandler(
        415,
        ctx ->
            plain(
                ctx,
                415,
                "unsupported content type "
                    + ctx.request().getHeader("Content-Type")
                    + ": send application/json"));
    router.errorHandler(
        404, ctx -> plain(ctx, 404, "no admission webhook at " + ctx.normalizedPath()));
    return router;
  }

  private void answer(RoutingContext ctx, Endpoint endpoint, ReviewHandler handler) {
    long start = System.nanoTime();
    observer.started(endpoint);
    AdmissionRequest request;
    try {
      request = decode(ctx.body().buffer());
    } catch (BadReviewException e) {
      observer.rejected(endpoint, 400);
      plain(ctx, 400, e.getMessage());
      return;
    }
    if (handler.mayBlock(request)) {
      AdmissionRequest blocking = request;
      vertx
          .executeBlocking(() -> handler.review(blocking), false)
          .onSuccess(response -> respond(ctx, endpoint, blocking, response, start))
          .onFailure(e -> internalError(ctx, endpoint, e));
      return;
    }
    AdmissionResponse response;
    try {
      response = handler.review(request);
    } catch (RuntimeException e) { // the handlers answer their own failures; this is a last resort
      internalError(ctx, endpoint, e);
      return;
    }
    respond(ctx, endpoint, request, response, start);
  }

  /**
   * The body read where it lies when it is a heap buffer (what the body handler collects), instead
   * of a copy of it per request.
   */
  private static AdmissionRequest decode(Buffer body) throws BadReviewException {
    if (body == null) {
      return ReviewCodec.decode(new byte[0]);
    }
    if (body instanceof BufferInternal internal && internal.unwrap().hasArray()) {
      ByteBuf bytes = internal.unwrap();
      return ReviewCodec.decode(bytes.array(), bytes.arrayOffset(), body.length());
    }
    return ReviewCodec.decode(body.getBytes());
  }

  private void internalError(RoutingContext ctx, Endpoint endpoint, Throwable e) {
    LOG.error("{}: answering failed", endpoint.webhookName, e);
    observer.rejected(endpoint, 500);
    plain(ctx, 500, "internal error");
  }

  private void respond(
      RoutingContext ctx,
      Endpoint endpoint,
      AdmissionRequest request,
      AdmissionResponse response,
      long start) {
    byte[] bytes = ReviewCodec.encode(request, response);
    ctx.response()
        .setStatusCode(200)
        .putHeader("Content-Type", "application/json")
        .end(Buffer.buffer(bytes));
    observer.answered(endpoint, request, response, System.nanoTime() - start);
    if (!response.allowed()) {
      DenialLog.denied(endpoint, request, response);
    }
  }

  private static void plain(RoutingContext ctx, int status, String message) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .end(message + "\n");
  }
}
