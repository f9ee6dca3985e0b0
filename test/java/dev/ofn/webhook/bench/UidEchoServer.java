package dev.ofn.webhook.bench;

import dev.ofn.webhook.server.AdmissionServer;
import dev.ofn.webhook.server.ServingCert;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The do-nothing webhook pair of the real-apiserver benchmark (test/bench/apiserver.sh): the
 * admission server's listener options ({@link AdmissionServer#httpOptions}), event-loop count and
 * one listener per loop, answering every POST with an AdmissionReview v1 that echoes the request's
 * uid (the apiserver rejects any other) and allows, unchanged. No JSON parsing: the uid is the
 * first {@code "uid":"…"} of the body (the apiserver writes {@code request.uid} before the
 * objects). {@code GET /count} answers the POSTs answered so far per path, one {@code path count}
 * line each.
 *
 * <p>{@code java <the launcher's flags> -cp target/test-classes:target/classes:target/lib/*
 * dev.ofn.webhook.bench.UidEchoServer PORT CERTS_DIR}
 */
public final class UidEchoServer {
  private static final byte[] HEAD =
      "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":{\"uid\":\""
          .getBytes(StandardCharsets.UTF_8);
  private static final byte[] TAIL = "\",\"allowed\":true}}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] UID_KEY = "\"uid\":\"".getBytes(StandardCharsets.UTF_8);

  private static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();
  private static byte[] mutateHead = HEAD;
  private static byte[] mutateTail = TAIL;

  private UidEchoServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Path certs = Path.of(args[1]);
    if (args.length > 2) {
      String answer = Files.readString(Path.of(args[2])).strip();
      int at = answer.indexOf("@UID@");
      mutateHead = answer.substring(0, at).getBytes(StandardCharsets.UTF_8);
      mutateTail = answer.substring(at + "@UID@".length()).getBytes(StandardCharsets.UTF_8);
    }
    ServingCert cert =
        new ServingCert(
            Files.readString(certs.resolve("tls.crt")), Files.readString(certs.resolve("tls.key")));
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(Math.max(2, Runtime.getRuntime().availableProcessors())));
    AdmissionServer.Options options = new AdmissionServer.Options("127.0.0.1", port, true);
    vertx
        .deployVerticle(
            () ->
                new VerticleBase() {
                  @Override
                  public Future<?> start() {
                    return vertx
                        .createHttpServer(AdmissionServer.httpOptions(options, cert))
                        .requestHandler(UidEchoServer::handle)
                        .listen();
                  }
                },
            new DeploymentOptions().setInstances(options.instances()))
        .toCompletionStage()
        .toCompletableFuture()
        .get();
    System.err.println("uid-echo: listening on https://127.0.0.1:" + port);
  }

  private static void handle(HttpServerRequest req) {
    if (req.method() == HttpMethod.GET && "/count".equals(req.path())) {
      StringBuilder out = new StringBuilder();
      new TreeMap<>(COUNTS)
          .forEach((path, n) -> out.append(path).append(' ').append(n.get()).append('\n'));
      req.response().end(out.toString());
      return;
    }
    String path = req.path();
    req.body()
        .onComplete(
            body -> {
              if (body.failed()) {
                req.response().setStatusCode(400).end();
                return;
              }
              Buffer in = body.result();
              boolean mutate = path.startsWith("/mutate");
              byte[] head = mutate ? mutateHead : HEAD;
              byte[] tail = mutate ? mutateTail : TAIL;
              Buffer out = Buffer.buffer(head.length + tail.length + 40).appendBytes(head);
              int start = indexOf(in, UID_KEY);
              if (start >= 0) {
                start += UID_KEY.length;
                int end = start;
                while (end < in.length() && in.getByte(end) != '"') {
                  end++;
                }
                out.appendBuffer(in, start, end - start);
              }
              out.appendBytes(tail);
              req.response().putHeader("Content-Type", "application/json").end(out);
              COUNTS.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
            });
  }

  private static int indexOf(Buffer buffer, byte[] needle) {
    outer:
    for (int i = 0, last = buffer.length() - needle.length; i <= last; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (buffer.getByte(i + j) != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
