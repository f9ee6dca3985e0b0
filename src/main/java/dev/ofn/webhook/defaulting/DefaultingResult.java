package dev.ofn.webhook.defaulting;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * A defaulted object and the admission warnings (each at most 120 characters) to return with it.
 * The caller diffs {@code object} against the received one to build the patch.
 */
public record DefaultingResult(ObjectNode object, List<String> warnings) {
  public DefaultingResult {
    warnings = List.copyOf(warnings);
  }
}
