package dev.ofn.webhook.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The log set-up of every command: Logback, one line per event on stderr, as text or as JSON
 * objects, at a chosen level. Applied once at start ({@link DefaultConfigurator}: text, info) and
 * again by {@code webhook serve --log-format --log-level}.
 */
public final class Logging {
  /**
   * Chatty libraries: never below WARN, unless the chosen level is stricter still (and fabric8's
   * version-usage warnings at debug: {@link DemotedWarnings}).
   */
  static final List<String> LIBRARIES = List.of("io.fabric8", "io.netty");

  public enum Format {
    TEXT,
    JSON;

    /** {@code text} or {@code json} (any case). */
    public static Format parse(String value) {
      for (Format format : values()) {
        if (format.name().equalsIgnoreCase(value.trim())) {
          return format;
        }
      }
      throw new IllegalArgumentException("unknown log format '" + value + "': use text or json");
    }
  }

  private Logging() {}

  /** {@code error|warn|info|debug|trace} (any case). */
  public static Level parseLevel(String value) {
    Level level = Level.toLevel(value.trim(), null);
    if (level == null || level == Level.ALL || level == Level.OFF) {
      throw new IllegalArgumentException(
          "unknown log level '" + value + "': use error, warn, info, debug or trace");
    }
    return level;
  }

  /** Replaces the running configuration (if Logback is the slf4j backend, as it is here). */
  public static void configure(Format format, Level level) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.reset();
      apply(context, format, level);
    }
  }

  static void apply(LoggerContext context, Format format, Level level) {
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("stderr");
    console.setTarget("System.err");
    console.setEncoder(encoder(context, format));
    console.start();
    DemotedWarnings demoted = new DemotedWarnings();
    demoted.setContext(context);
    demoted.start();
    context.addTurboFilter(demoted);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level);
    root.addAppender(console);
    Level libraries = level.isGreaterOrEqual(Level.WARN) ? level : Level.WARN;
    LIBRARIES.forEach(name -> context.getLogger(name).setLevel(libraries));
  }

  /** The started encoder of a format (tests put it on an appender of their own). */
  public static Encoder<ILoggingEvent> encoder(LoggerContext context, Format format) {
    Encoder<ILoggingEvent> encoder;
    if (format == Format.JSON) {
      encoder = new JsonLines();
    } else {
      TextLayout layout = new TextLayout();
      layout.setContext(context);
      layout.start();
      LayoutWrappingEncoder<ILoggingEvent> text = new LayoutWrappingEncoder<>();
      text.setLayout(layout);
      encoder = text;
    }
    encoder.setContext(context);
    encoder.start();
    return encoder;
  }
}
