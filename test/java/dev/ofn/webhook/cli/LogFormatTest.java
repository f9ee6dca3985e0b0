package dev.ofn.webhook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import dev.ofn.webhook.admission.Endpoint;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.logging.Logging;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The logs as {@code webhook serve --log-format json|text --log-level} sets them up ({@link
 * Logging#configure}), on stderr, around a real server that denies a route conflict: every line is
 * one JSON object, the denial is one info line with who, what, where and why, an exception stays on
 * its line. Afterwards the test set-up (logback-test.xml) is restored.
 */
class LogFormatTest {
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private final PrintStream original = System.err;

  @AfterEach
  void restore() throws Exception {
    System.setErr(original);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    new ContextInitializer(context).autoConfig();
  }

  private String capture(Logging.Format format, Level level, Runnable what) {
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    Logging.configure(format, level);
    what.run();
    Logging.configure(Logging.Format.TEXT, Level.OFF); // nothing more while the stream is read
    return stderr.toString(StandardCharsets.UTF_8);
  }

  /** A Function that conflicts with an admitted one, sent by {@code alice}. */
  private static void denyAConflict(TestServer server) throws Exception {
    assertTrue(
        server
            .review(
                Endpoint.VALIDATE_FUNCTION,
                "CREATE",
                TestServer.admittedFunction("logs-first", "logs.ofn.io"),
                null)
            .path("allowed")
            .asBoolean());
    ObjectNode review =
        TestServer.reviewOf(
            "CREATE", TestServer.admittedFunction("logs-second", "logs.ofn.io"), null);
    ((ObjectNode) review.path("request")).putObject("userInfo").put("username", "alice");
    assertFalse(server.review(Endpoint.VALIDATE_FUNCTION, review).path("allowed").asBoolean());
  }

  private static void serveAndDeny() {
    try (TestServer server = TestServer.start()) {
      denyAConflict(server);
      LoggerFactory.getLogger(LogFormatTest.class)
          .warn("an unexpected failure", new IllegalStateException("boom\nsecond line"));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void jsonIsOneObjectPerLineIncludingTheDenial() {
    String out = capture(Logging.Format.JSON, Level.INFO, LogFormatTest::serveAndDeny);

    List<JsonNode> events = new ArrayList<>();
    for (String line : out.split("\n")) {
      JsonNode event = Json.MAPPER.readTree(line);
      assertTrue(event.isObject(), line);
      assertFields(event, line);
      events.add(event);
    }
    assertTrue(
        events.stream().anyMatch(e -> e.path("msg").asString().startsWith("serving admission")),
        out);

    List<JsonNode> denials =
        events.stream()
            .filter(e -> "dev.ofn.webhook.denials".equals(e.path("logger").asString()))
            .toList();
    assertEquals(1, denials.size(), out);
    JsonNode denial = denials.get(0);
    assertEquals("info", denial.path("level").asString());
    Map<String, String> expected =
        Map.of(
            "webhook", "vfunctions.of.io",
            "operation", "CREATE",
            "kind", "Function",
            "namespace", "default",
            "name", "logs-second",
            "user", "alice",
            "reason", "Forbidden",
            "conflictWith", "Function default/logs-first");
    expected.forEach((field, value) -> assertEquals(value, denial.path(field).asString(), field));
    assertEquals(403, denial.path("code").asInt());
    assertTrue(
        denial
            .path("msg")
            .asString()
            .startsWith("denied CREATE Function default/logs-second by alice at vfunctions.of.io:"),
        denial.toString());
    assertTrue(denial.path("msg").asString().contains("is already routed by"), denial.toString());
    assertTrue(denial.path("error").isMissingNode(), denial.toString());

    JsonNode failure =
        events.stream()
            .filter(e -> "an unexpected failure".equals(e.path("msg").asString()))
            .findFirst()
            .orElseThrow();
    assertEquals("warn", failure.path("level").asString());
    assertEquals(
        "java.lang.IllegalStateException: boom\nsecond line", failure.path("error").asString());
  }

  /** The fields every log pipeline made for controller-runtime's zap encoder expects. */
  private static void assertFields(JsonNode event, String line) {
    assertTrue(
        event.path("ts").asString().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"),
        line);
    assertTrue(
        List.of("error", "warn", "info", "debug", "trace").contains(event.path("level").asString()),
        line);
    for (String field : List.of("logger", "msg")) {
      assertTrue(event.path(field).isString(), field + " missing in " + line);
    }
  }

  /**
   * {@code serve --log-format json} on a port a running server holds: exit 2, every line JSON, and
   * the failure one error line naming address and port, without a stack trace.
   */
  @Test
  void aSecondServerOnTheSamePortIsOneJsonErrorLineNamingThePortAndExit2() throws Exception {
    try (TestServer first = TestServer.start()) {
      String port = String.valueOf(first.server.port());
      java.nio.file.Path certs = java.nio.file.Files.createTempDirectory("ofn-webhook-test-certs");
      MainTest.Run second =
          MainTest.run(
              Map.of("OFN_WEBHOOK_WARMUP", "0"),
              "serve",
              "--standalone",
              "--log-format=json",
              "--host=127.0.0.1",
              "--port=" + port,
              "--probe-port=0",
              "--certs-dir=" + certs);
      assertEquals(2, second.code(), second.err());
      List<JsonNode> errors = new ArrayList<>();
      for (String line : second.err().split("\n")) {
        JsonNode event = Json.MAPPER.readTree(line);
        assertFields(event, line);
        if (event.path("level").asString().equals("error")) {
          errors.add(event);
        }
      }
      assertEquals(1, errors.size(), second.err());
      String message = errors.get(0).path("msg").asString();
      assertTrue(
          message.startsWith(
              "cannot start: cannot listen on 127.0.0.1:" + port + " for the webhooks (--port): "),
          message);
      assertTrue(message.contains("in use"), message);
      assertFalse(errors.get(0).has("stacktrace"), second.err());
    }
  }

  @Test
  void textIsOneLinePerDenialAndTheLevelHidesIt() throws Exception {
    String info = capture(Logging.Format.TEXT, Level.INFO, LogFormatTest::serveAndDeny);
    // the denials logger is dev.ofn.webhook.denials: %logger{0} prints "denials"
    List<String> lines = info.lines().filter(l -> l.contains("] denials - denied ")).toList();
    assertEquals(1, lines.size(), info);
    assertTrue(
        lines
            .get(0)
            .contains("[INFO] denials - denied CREATE Function default/logs-second by alice"),
        lines.get(0));
    assertTrue(lines.get(0).endsWith("[conflicts with Function default/logs-first]"), lines.get(0));

    stderr.reset();
    String warn = capture(Logging.Format.TEXT, Level.WARN, LogFormatTest::serveAndDeny);
    assertFalse(warn.contains("denied"), warn);
    assertFalse(warn.contains("[INFO]"), warn);
    assertTrue(warn.contains("[WARN] LogFormatTest - an unexpected failure"), warn);
  }

  @Test
  void badFormatOrLevelIsAUsageError() {
    MainTest.Run format = MainTest.run(Map.of(), "serve", "--log-format", "yaml");
    assertEquals(2, format.code(), format.err());
    assertTrue(format.err().contains("unknown log format 'yaml': use text or json"), format.err());
    MainTest.Run level = MainTest.run(Map.of("OFN_WEBHOOK_LOG_LEVEL", "loud"), "serve");
    assertEquals(2, level.code(), level.err());
    assertTrue(level.err().contains("unknown log level 'loud'"), level.err());
  }
}
