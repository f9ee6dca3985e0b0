package dev.ofn.webhook.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
  void jsonPutsEventFieldsAtTheTopAndKeepsOneLine() {
    LoggingEvent event = event("denied \"x\"\nsecond line", null);
    List<KeyValuePair> pairs = new ArrayList<>();
    pairs.add(new KeyValuePair("user", "system:serviceaccount:ns:\"sa\""));
    pairs.add(new KeyValuePair("code", 403));
    pairs.add(new KeyValuePair("dryRun", true));
    pairs.add(new KeyValuePair("name", null));
    event.setKeyValuePairs(pairs);
    String line = encode(Logging.Format.JSON, event);
    assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, line);
    JsonNode json = Json.MAPPER.readTree(line);
    assertEquals("system:serviceaccount:ns:\"sa\"", json.path("user").asString());
    assertTrue(json.path("code").isNumber(), line);
    assertEquals(403, json.path("code").asInt());
    assertTrue(json.path("dryRun").asBoolean(), line);
    assertTrue(json.path("name").isNull(), line);
    assertEquals("denied \"x\"\nsecond line", json.path("formattedMessage").asString());
    assertEquals("INFO", json.path("level").asString());
    assertEquals("dev.ofn.webhook.denials", json.path("loggerName").asString());
    assertFalse(json.has("throwable"), line);
    assertFalse(json.has("kvpList") || json.has("mdc") || json.has("context"), line);
  }

  @Test
  void jsonCarriesAnExceptionAsAnObject() {
    String line =
        encode(
            Logging.Format.JSON,
            event("failed", new IllegalStateException("boom", new RuntimeException("cause"))));
    JsonNode throwable = Json.MAPPER.readTree(line).path("throwable");
    assertEquals("java.lang.IllegalStateException", throwable.path("className").asString());
    assertEquals("boom", throwable.path("message").asString());
    assertEquals("cause", throwable.path("cause").path("message").asString());
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
