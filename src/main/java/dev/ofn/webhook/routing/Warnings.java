package dev.ofn.webhook.routing;

/**
 * Admission warnings are shown verbatim by kubectl; the apiserver truncates long ones, we do it
 * legibly.
 */
final class Warnings {
  static final int MAX = 120;

  private Warnings() {}

  static String clip(String text) {
    return text.length() <= MAX ? text : text.substring(0, MAX - 3) + "...";
  }
}
