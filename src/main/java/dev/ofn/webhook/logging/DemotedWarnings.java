package dev.ofn.webhook.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Library warnings that ask nothing of an operator, logged at debug instead: fabric8 warns once per
 * resource type it reads at an alpha or beta version ({@code The client is using resource type
 * 'gateways' with unstable version 'v1alpha1'}), so every start would print a WARN for the
 * OpenFunction and Gateway API kinds this project reads by design.
 */
final class DemotedWarnings extends TurboFilter {
  static final String FABRIC8_VERSION_USAGE =
      "io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils";

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level != Level.WARN || !FABRIC8_VERSION_USAGE.equals(logger.getName())) {
      return FilterReply.NEUTRAL;
    }
    if (format != null) { // null: an isWarnEnabled() check, answered "no"
      logger.debug(format, params);
    }
    return FilterReply.DENY;
  }
}
