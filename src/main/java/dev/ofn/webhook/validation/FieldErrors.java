package dev.ofn.webhook.validation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/** Ordering and rendering of a set of field errors into one apiserver-style message. */
public final class FieldErrors {
  private FieldErrors() {}

  /**
   * Path order (segment by segment, list indices numerically), stable otherwise; duplicates
   * removed.
   */
  public static List<String> renderAll(Collection<FieldError> errors) {
    List<FieldError> sorted = new ArrayList<>(errors);
    sorted.sort(Comparator.comparing(FieldError::path, FieldErrors::comparePaths));
    LinkedHashSet<String> lines = new LinkedHashSet<>();
    for (FieldError error : sorted) {
      lines.add(error.render());
    }
    return List.copyOf(lines);
  }

  public static String message(Collection<FieldError> errors) {
    return String.join("\n", renderAll(errors));
  }

  /** Compares {@code a.b[10].c} after {@code a.b[2].c}: segment by segment, numbers numerically. */
  static int comparePaths(String left, String right) {
    String[] a = left.split("[.\\[\\]]+");
    String[] b = right.split("[.\\[\\]]+");
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      int c = compareSegment(a[i], b[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.length, b.length);
  }

  private static int compareSegment(String a, String b) {
    if (!a.isEmpty()
        && !b.isEmpty()
        && a.chars().allMatch(Character::isDigit)
        && b.chars().allMatch(Character::isDigit)
        && a.length() < 10
        && b.length() < 10) {
      return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
    }
    return a.compareTo(b);
  }
}
