package dev.ofn.webhook.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line, with the field names of controller-runtime's zap encoder, so that log
 * pipelines made for Kubernetes controllers read it as they are: {@code ts} (RFC 3339, UTC,
 * milliseconds), {@code level} (lowercase), {@code logger}, {@code msg}, then the event's key-value
 * pairs as fields of their own, then {@code error} and {@code stacktrace} when an exception is
 * logged.
 */
public final class JsonLines extends EncoderBase<ILoggingEvent> {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(256);
    line.append("{\"ts\":\"");
    TIME.formatTo(Instant.ofEpochMilli(event.getTimeStamp()), line);
    line.append("\",\"level\":\"")
        .append(event.getLevel().toString().toLowerCase(Locale.ROOT))
        .append('"');
    field(line, "logger", event.getLoggerName());
    field(line, "msg", event.getFormattedMessage());
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs != null) {
      for (KeyValuePair pair : pairs) {
        field(line, pair.key, pair.value);
      }
    }
    IThrowableProxy throwable = event.getThrowableProxy();
    if (throwable != null) {
      field(
          line,
          "error",
          throwable.getMessage() == null
              ? throwable.getClassName()
              : throwable.getClassName() + ": " + throwable.getMessage());
      field(line, "stacktrace", ThrowableProxyUtil.asString(throwable));
    }
    return line.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A field: numbers and booleans as themselves, null as null, anything else as its string. */
  private static void field(StringBuilder line, String key, Object value) {
    line.append(',');
    string(line, key);
    line.append(':');
    if (value == null) {
      line.append("null");
    } else if (value instanceof Boolean
        || value instanceof Integer
        || value instanceof Long
        || value instanceof Short) {
      line.append(value);
    } else {
      string(line, value.toString());
    }
  }

  /**
   * A JSON string: quotes, backslashes and control characters escaped, and the line and paragraph
   * separators too (JavaScript readers would break the line there); nothing else.
   */
  static void string(StringBuilder line, String text) {
    line.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> line.append("\\\"");
        case '\\' -> line.append("\\\\");
        case '\n' -> line.append("\\n");
        case '\r' -> line.append("\\r");
        case '\t' -> line.append("\\t");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            line.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            line.append(c);
          }
        }
      }
    }
    line.append('"');
  }
}
