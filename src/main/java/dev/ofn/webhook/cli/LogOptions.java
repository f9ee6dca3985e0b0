package dev.ofn.webhook.cli;

import ch.qos.logback.classic.Level;
import dev.ofn.webhook.logging.Logging;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --log-format text|json} and {@code --log-level}, also from {@code OFN_WEBHOOK_LOG_FORMAT}
 * and {@code OFN_WEBHOOK_LOG_LEVEL}: a mixin of the commands that run long enough to log.
 */
final class LogOptions {
  @Option(
      names = "--log-format",
      defaultValue = "text",
      converter = FormatConverter.class,
      description = "text (one line per event) or json (one JSON object per line); on stderr.")
  Logging.Format format;

  @Option(
      names = "--log-level",
      defaultValue = "info",
      converter = LevelConverter.class,
      description =
          "error, warn, info (default: denials and what the server does), debug or trace."
              + " fabric8 and Netty log at warn at most.")
  Level level;

  /**
   * Replaces the start-up log set-up with the chosen one, unless a Logback file was given with
   * {@code -Dlogback.configurationFile}: that file rules.
   */
  void apply() {
    String file = System.getProperty("logback.configurationFile");
    if (file == null) {
      Logging.configure(format, level);
    } else {
      LoggerFactory.getLogger(LogOptions.class)
          .info("logging as {} says: --log-format and --log-level are not applied", file);
    }
  }

  static final class FormatConverter implements ITypeConverter<Logging.Format> {
    @Override
    public Logging.Format convert(String value) {
      try {
        return Logging.Format.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class LevelConverter implements ITypeConverter<Level> {
    @Override
    public Level convert(String value) {
      try {
        return Logging.parseLevel(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
