package dev.ofn.webhook.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.ofn.webhook.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;
import tools.jackson.databind.JsonNode;

/** The set-up on a context of its own (levels) and both encoders on hand-made events. */
class LoggingTest {
  private final LoggerContext context = new LoggerContext();
  private final Logger logger = context.getLogger("dev.ofn.webhook.denials");

  @Test
  void librariesLogAtWarnUnlessTheLevelIsStricter() {
    Logging.apply(context, Logging.Format.TEXT, Level.DEBUG);
    assertEquals(Level.DEBUG, context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
    assertEquals(Level.WARN, context.getLogger("io.fabric8").getLevel());
    assertEquals(Level.WARN, context.getLogger("io.netty").getLevel());
    context.reset();
    Logging.apply(context, Logging.Format.JSON, Level.ERROR);
    assertEquals(Level.ERROR, context.getLogger("io.fabric8").getLevel());
    assertEquals(Level.ERROR, context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
  }

  @Test
  void formatsAndLevelsParseInAnyCaseAndRejectTheRest() {
    assertEquals(Logging.Format.JSON, Logging.Format.parse("Json"));
    assertEquals(Logging.Format.TEXT, Logging.Format.parse(" text "));
    assertEquals(Level.WARN, Logging.parseLevel("WARN"));
    assertEquals(Level.TRACE, Logging.parseLevel("trace"));
    for (String bad : List.of("off", "all", "verbose", "")) {
      assertThrows(IllegalArgumentException.class, () -> Logging.parseLevel(bad), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> Logging.Format.parse("yaml"));
  }

  @Test
  void jsonHasTheFieldsOfControllerRuntimesEncoderAndKeepsOneLine() {
    LoggingEvent event = event("denied \"x\"\nsecond line \u2028/", null);
    event.setTimeStamp(1_795_941_145_850L);
    List<KeyValuePair> pairs = new ArrayList<>();
    pairs.add(new KeyValuePair("user", "system:serviceaccount:ns:\"sa\""));
    pairs.add(new KeyValuePair("code", 403));
    pairs.add(new KeyValuePair("dryRun", true));
    pairs.add(new KeyValuePair("name", null));
    event.setKeyValuePairs(pairs);
    String line = encode(Logging.Format.JSON, event);
    assertEquals(
        "{\"ts\":\"2026-11-29T08:32:25.850Z\",\"level\":\"info\",\"logger\":\"dev.ofn.webhook.denials\","
            + "\"msg\":\"denied \\\"x\\\"\\nsecond line \\u2028/\","
            + "\"user\":\"system:serviceaccount:ns:\\\"sa\\\"\",\"code\":403,\"dryRun\":true,\"name\":null}\n",
        line);
    JsonNode json = Json.MAPPER.readTree(line);
    assertEquals("denied \"x\"\nsecond line \u2028/", json.path("msg").asString());
    assertEquals("system:serviceaccount:ns:\"sa\"", json.path("user").asString());
  }

  @Test
  void jsonCarriesAnExceptionAsErrorAndStacktrace() {
    String line =
        encode(
            Logging.Format.JSON,
            event("failed", new IllegalStateException("boom", new RuntimeException("cause"))));
    assertEquals(line.length() - 1, line.indexOf('\n'), line);
    JsonNode json = Json.MAPPER.readTree(line);
    assertEquals("java.lang.IllegalStateException: boom", json.path("error").asString());
    String stack = json.path("stacktrace").asString();
    assertTrue(stack.startsWith("java.lang.IllegalStateException: boom\n\tat "), stack);
    assertTrue(stack.contains("Caused by: java.lang.RuntimeException: cause"), stack);
  }

  /** fabric8 warns at every start about the alpha and beta kinds this project reads by design. */
  @Test
  void fabric8sVersionUsageWarningsGoBelowWarn() {
    Logging.apply(context, Logging.Format.TEXT, Level.INFO);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen =
        new ch.qos.logback.core.read.ListAppender<>();
    seen.setContext(context);
    seen.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(seen);
    root.setLevel(Level.ALL);
    Logger versions = context.getLogger(DemotedWarnings.FABRIC8_VERSION_USAGE);
    versions.setLevel(Level.ALL);
    versions.warn(
        "The client is using resource type '{}' with unstable version '{}'",
        "gateways",
        "v1alpha1");
    context.getLogger("io.fabric8.kubernetes.client.Other").warn("a real warning");
    assertEquals(
        List.of(
            "DEBUG The client is using resource type 'gateways' with unstable version 'v1alpha1'",
            "WARN a real warning"),
        seen.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList());
  }

  @Test
  void textIsTimeLevelLoggerMessageThenTheStackTrace() {
    String plain = encode(Logging.Format.TEXT, event("denied it", null));
    assertTrue(
        plain.matches(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d{4} \\[INFO\\] denials - denied it\\R"),
        plain);
    String failed = encode(Logging.Format.TEXT, event("failed", new IllegalStateException("boom")));
    List<String> lines = failed.lines().toList();
    assertTrue(lines.get(0).endsWith("[INFO] denials - failed"), failed);
    assertEquals("java.lang.IllegalStateException: boom", lines.get(1));
    assertTrue(lines.get(2).startsWith("\tat "), failed);
  }

  private LoggingEvent event(String message, Throwable throwable) {
    return new LoggingEvent(
        Logger.class.getName(), logger, Level.INFO, message, throwable, new Object[0]);
  }

  private String encode(Logging.Format format, LoggingEvent event) {
    return new String(Logging.encoder(context, format).encode(event), StandardCharsets.UTF_8);
  }
}
