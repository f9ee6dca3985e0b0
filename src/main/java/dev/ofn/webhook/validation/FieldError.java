package dev.ofn.webhook.validation;

import java.util.List;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * One problem with one field, rendered exactly as the apiserver's {@code field.Error} does, so that
 * users see the same lines they know from built-in resources.
 */
public record FieldError(String path, Type type, Object value, String detail) {

  public enum Type {
    REQUIRED("Required value", false),
    INVALID("Invalid value", true),
    UNSUPPORTED("Unsupported value", true),
    DUPLICATE("Duplicate value", true),
    NOT_FOUND("Not found", true),
    TOO_MANY("Too many", true),
    TOO_LONG("Too long", false),
    FORBIDDEN("Forbidden", false);

    final String text;
    final boolean showsValue;

    Type(String text, boolean showsValue) {
      this.text = text;
      this.showsValue = showsValue;
    }
  }

  public static FieldError required(String path, String detail) {
    return new FieldError(path, Type.REQUIRED, null, detail);
  }

  public static FieldError invalid(String path, Object value, String detail) {
    return new FieldError(path, Type.INVALID, value, detail);
  }

  public static FieldError forbidden(String path, String detail) {
    return new FieldError(path, Type.FORBIDDEN, null, detail);
  }

  public static FieldError duplicate(String path, Object value) {
    return new FieldError(path, Type.DUPLICATE, value, "");
  }

  public static FieldError tooMany(String path, int actual, int max) {
    return new FieldError(path, Type.TOO_MANY, actual, "must have at most " + max + " items");
  }

  public static FieldError unsupported(String path, Object value, List<String> supported) {
    String detail =
        supported.isEmpty()
            ? ""
            : "supported values: "
                + supported.stream().map(FieldError::quote).collect(Collectors.joining(", "));
    return new FieldError(path, Type.UNSUPPORTED, value, detail);
  }

  /** {@code spec.domain: Required value: must specify domain}. */
  public String render() {
    StringBuilder out = new StringBuilder(path).append(": ").append(type.text);
    if (type.showsValue) {
      out.append(": ").append(renderValue(value));
    }
    if (detail != null && !detail.isEmpty()) {
      out.append(": ").append(detail);
    }
    return out.toString();
  }

  /**
   * Strings quoted (Go {@code %q}), numbers and booleans bare, JSON null as {@code null}, trees as
   * JSON.
   */
  static String renderValue(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof JsonNode node) {
      if (node.isString()) {
        return quote(node.stringValue());
      }
      if (node.isMissingNode() || node.isNull()) {
        return "null";
      }
      return node.toString();
    }
    if (value instanceof CharSequence text) {
      return quote(text.toString());
    }
    return String.valueOf(value);
  }

  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
