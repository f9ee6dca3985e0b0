package dev.ofn.webhook.server;

import tools.jackson.core.filter.TokenFilter;

/**
 * Leaves {@code request.object.metadata.managedFields} (and the old object's) out of the parsed
 * review. They are the apiserver's field-ownership bookkeeping: no rule reads them and no patch may
 * touch them, yet in a real review they are a large share of the object's nodes, each of which
 * would be built, copied for defaulting and compared by the patch diff. The parser still reads
 * them, so malformed JSON there is refused as anywhere else.
 */
final class BookkeepingFilter extends TokenFilter {
  private static final String[][] PATH = {{"request"}, {"object", "oldObject"}, {"metadata"}};
  private static final String SKIPPED = "managedFields";
  private static final BookkeepingFilter[] LEVELS = new BookkeepingFilter[PATH.length + 1];

  static {
    for (int depth = 0; depth < LEVELS.length; depth++) {
      LEVELS[depth] = new BookkeepingFilter(depth);
    }
  }

  /** The filter for a whole AdmissionReview. */
  static final BookkeepingFilter REVIEW = LEVELS[0];

  private final int depth;

  private BookkeepingFilter(int depth) {
    this.depth = depth;
  }

  @Override
  public TokenFilter includeProperty(String name) {
    if (depth == PATH.length) {
      return SKIPPED.equals(name) ? null : INCLUDE_ALL;
    }
    for (String step : PATH[depth]) {
      if (step.equals(name)) {
        return LEVELS[depth + 1];
      }
    }
    return INCLUDE_ALL;
  }

  @Override
  public TokenFilter filterStartArray() {
    return INCLUDE_ALL; // the path runs through objects only: a metadata of the wrong type is kept
    // whole
  }

  @Override
  protected boolean _includeScalar() {
    return true;
  }

  @Override
  public boolean includeEmptyObject(boolean contentsFiltered) {
    return true; // {"request": {}} stays a request without a uid; {"metadata": {"managedFields":
    // []}} stays {}
  }

  @Override
  public boolean includeEmptyArray(boolean contentsFiltered) {
    return true;
  }
}
