package dev.ofn.webhook.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The subset of Go's text/template that OFN Gateways use: literal text, {@code {{.Field}}} actions
 * on a fixed set of fields, and the trim markers {@code {{-} and {@code -}}}. Everything else Go
 * would accept (pipelines, functions, control structures) is reported as unsupported; text Go
 * itself could not parse is reported as a parse error, so the two OpenFunction messages stay
 * distinct.
 */
public final class Templates {
  private Templates() {}

  /** Why a template was refused. */
  public static final class TemplateException extends Exception {
    private final boolean parseError;

    TemplateException(boolean parseError, String message) {
      super(message);
      this.parseError = parseError;
    }

    /** True when Go itself could not parse it; false when Go could, but we do not support it. */
    public boolean isParseError() {
      return parseError;
    }
  }

  /** A parsed template: alternating literal parts and field references. */
  public record Template(String source, List<Part> parts) {
    public String render(Map<String, String> values) {
      StringBuilder out = new StringBuilder();
      for (Part part : parts) {
        out.append(part.field() == null ? part.text() : values.getOrDefault(part.field(), ""));
      }
      return out.toString();
    }

    public Set<String> fields() {
      return parts.stream()
          .filter(p -> p.field() != null)
          .map(Part::field)
          .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
  }

  /** Literal {@code text}, or a reference to {@code field} when that is non-null. */
  public record Part(String text, String field) {}

  private static final java.util.regex.Pattern FIELD =
      java.util.regex.Pattern.compile("\\.[A-Za-z_][A-Za-z0-9_]*");
  private static final java.util.regex.Pattern UNEXPECTED =
      java.util.regex.Pattern.compile("[^-A-Za-z0-9_.$\"'`()|:=,\\s]");
  private static final java.util.regex.Pattern QUOTED =
      java.util.regex.Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|`[^`]*`|'(?:[^'\\\\]|\\\\.)*'");
  private static final java.util.regex.Pattern WORD_END =
      java.util.regex.Pattern.compile("[\\s(|]");
  private static final Set<String> KEYWORDS =
      Set.of(
          "if", "else", "end", "range", "with", "define", "block", "template", "break", "continue");

  private record Key(String source, Set<String> allowedFields) {}

  /**
   * Parsed templates and refusals by source: a cluster has a handful of gateways, and every
   * admission renders one.
   */
  private static final Map<Key, Object> PARSED = new java.util.concurrent.ConcurrentHashMap<>();

  private static final int MAX_PARSED = 512;

  /** Parses {@code source}, allowing only the given field names (e.g. Name, Namespace, Domain). */
  public static Template parse(String source, Set<String> allowedFields) throws TemplateException {
    Key key = new Key(source, allowedFields);
    Object parsed = PARSED.get(key);
    if (parsed == null) {
      try {
        parsed = parseUncached(source, allowedFields);
      } catch (TemplateException e) {
        parsed = e;
      }
      if (PARSED.size() >= MAX_PARSED) {
        PARSED.clear(); // bounded: only a stream of distinct bad templates gets here
      }
      PARSED.put(key, parsed);
    }
    if (parsed instanceof TemplateException refused) {
      throw new TemplateException(refused.isParseError(), refused.getMessage());
    }
    return (Template) parsed;
  }

  private static Template parseUncached(String source, Set<String> allowedFields)
      throws TemplateException {
    List<Part> parts = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int i = 0;
    boolean unsupported = false;
    String unsupportedWhy = null;
    while (i < source.length()) {
      int open = source.indexOf("{{", i);
      if (open < 0) {
        text.append(source, i, source.length());
        break;
      }
      text.append(source, i, open);
      int bodyStart = open + 2;
      boolean trimLeft =
          source.startsWith("- ", bodyStart)
              || source.startsWith("-\t", bodyStart)
              || source.startsWith("-\n", bodyStart);
      if (trimLeft) {
        bodyStart += 2;
        trimTrailingSpace(text);
      }
      int close = findClose(source, bodyStart);
      if (close < 0) {
        throw new TemplateException(true, "unclosed action");
      }
      boolean trimRight =
          close - 2 >= bodyStart && source.startsWith(" -", close - 2)
              || close - 2 >= bodyStart && source.startsWith("\t-", close - 2)
              || close - 2 >= bodyStart && source.startsWith("\n-", close - 2);
      String body = source.substring(bodyStart, trimRight ? close - 2 : close).trim();
      i = close + 2;
      if (trimRight) {
        while (i < source.length() && Character.isWhitespace(source.charAt(i))) {
          i++;
        }
      }
      String why = classify(body, allowedFields);
      if (why == null) {
        if (text.length() > 0) {
          parts.add(new Part(text.toString(), null));
          text.setLength(0);
        }
        parts.add(new Part(null, body.substring(1)));
      } else if (why.startsWith("!")) {
        throw new TemplateException(true, why.substring(1));
      } else if (!unsupported) {
        unsupported = true;
        unsupportedWhy = why;
      }
    }
    if (unsupported) {
      throw new TemplateException(false, unsupportedWhy);
    }
    if (text.length() > 0) {
      parts.add(new Part(text.toString(), null));
    }
    return new Template(source, List.copyOf(parts));
  }

  /**
   * null when supported; "!reason" when Go could not parse it; "reason" when merely unsupported.
   */
  private static String classify(String body, Set<String> allowedFields) {
    if (body.isEmpty()) {
      return "!missing value for command";
    }
    if (body.startsWith("/*")) {
      return body.endsWith("*/") ? "comments are not supported" : "!unclosed comment";
    }
    if (!balanced(body)) {
      return "!unterminated quoted string or parenthesis in " + body;
    }
    if (FIELD.matcher(body).matches()) {
      String field = body.substring(1);
      return allowedFields.contains(field) ? null : "field ." + field + " is not supported";
    }
    String first = WORD_END.split(body, 2)[0];
    if (KEYWORDS.contains(first)) {
      return first + " is not supported";
    }
    // quoted text may hold any character ({{printf "%s" .Name}} parses in Go)
    if (UNEXPECTED.matcher(QUOTED.matcher(body).replaceAll("\"\"")).find()) {
      return "!unexpected character in action " + body;
    }
    return "only {{."
        + String.join("}}, {{.", allowedFields.stream().sorted().toList())
        + "}} are supported, not {{"
        + body
        + "}}";
  }

  private static boolean balanced(String body) {
    int depth = 0;
    char quote = 0;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (quote != 0) {
        if (c == '\\' && quote == '"') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'' || c == '`') {
        quote = c;
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth < 0) {
        return false;
      }
    }
    return quote == 0 && depth == 0;
  }

  /**
   * The index of the {@code }}} closing the action that starts at {@code from}, skipping quoted
   * text.
   */
  private static int findClose(String source, int from) {
    char quote = 0;
    for (int i = from; i < source.length() - 1; i++) {
      char c = source.charAt(i);
      if (quote != 0) {
        if (c == '\\' && quote == '"') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '`') {
        quote = c;
      } else if (c == '}' && source.charAt(i + 1) == '}') {
        return i;
      }
    }
    return -1;
  }

  private static void trimTrailingSpace(StringBuilder text) {
    int end = text.length();
    while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    text.setLength(end);
  }
}
