package dev.ofn.webhook.logging;

import static ch.qos.logback.core.encoder.JsonEscapeUtil.jsonEscapeString;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * Logback's own {@link JsonEncoder} (one JSON object per line), trimmed to what an operator reads:
 * {@code timestamp} (Unix ms), {@code level}, {@code threadName}, {@code loggerName}, the event's
 * key-value pairs as top-level fields (logback writes them as a list of one-entry objects), {@code
 * formattedMessage}, and {@code throwable} only when there is one.
 */
public final class JsonLines extends JsonEncoder {
  public JsonLines() {
    setWithSequenceNumber(false);
    setWithNanoseconds(false);
    setWithContext(false);
    setWithMarkers(false);
    setWithMDC(false);
    setWithMessage(false);
    setWithArguments(false);
    setWithFormattedMessage(true);
  }

  @Override
  protected void appendKeyValuePairs(StringBuilder sb, ILoggingEvent event) {
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs == null) {
      return;
    }
    for (KeyValuePair pair : pairs) {
      sb.append(VALUE_SEPARATOR).append(QUOTE).append(jsonEscapeString(pair.key)).append(QUOTE_COL);
      Object value = pair.value;
      if (value == null) {
        sb.append("null");
      } else if (value instanceof Boolean
          || value instanceof Integer
          || value instanceof Long
          || value instanceof Short) {
        sb.append(value);
      } else {
        sb.append(QUOTE).append(jsonEscapeString(value.toString())).append(QUOTE);
      }
    }
  }

  @Override
  protected void appendThrowableProxy(
      StringBuilder sb, String attributeName, IThrowableProxy throwable) {
    if (throwable != null || !THROWABLE_ATTR_NAME.equals(attributeName)) {
      super.appendThrowableProxy(sb, attributeName, throwable);
    }
  }
}
