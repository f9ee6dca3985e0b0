package dev.ofn.webhook.model;

/**
 * Admission warnings are shown verbatim by kubectl, and the apiserver drops or cuts long ones; we
 * keep each on one line and cut it legibly. One rule for every warning the server or the CLI gives.
 */
public final class Warnings {
  /** The length the apiserver's guidance asks of an admission warning. */
  public static final int MAX = 120;

  private Warnings() {}

  /** {@code text} on one line, at most {@link #MAX} characters (cut ones end with "..."). */
  public static String clip(String text) {
    return clip(text, MAX);
  }

  /**
   * {@code text} on one line, at most {@code max} characters (cut ones end with "..."): also for a
   * user's value quoted inside a longer message, which must not repeat a whole annotation.
   */
  public static String clip(String text, int max) {
    String oneLine = text.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 3) + "...";
  }
}
