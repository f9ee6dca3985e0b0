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
      java.util.regex.Pattern.compile("[^-A-Za-z0-9_.$\"'`()|:=, \t\r\n]");
  private static final java.util.regex.Pattern QUOTED =
      java.util.regex.Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|`[^`]*`|'(?:[^'\\\\]|\\\\.)*'");
  private static final java.util.regex.Pattern WORD_END =
      java.util.regex.Pattern.compile("[ \t\r\n(|]");
  private static final java.util.regex.Pattern TOKEN_END =
      java.util.regex.Pattern.compile("[ \t\r\n()|,=:]+");

  /** Go's number literals, as text/template's lexer scans them (sign, bases, _, exponent, i). */
  private static final java.util.regex.Pattern NUMBER =
      java.util.regex.Pattern.compile(
          "[+-]?(0[xX][0-9a-fA-F_]*(\\.[0-9a-fA-F_]*)?([pP][+-]?[0-9_]+)?|0[bB][01_]+|0[oO][0-7_]+"
              + "|([0-9_]+(\\.[0-9_]*)?|\\.[0-9_]+)([eE][+-]?[0-9_]+)?)i?");

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
    java.util.Deque<String> open = new java.util.ArrayDeque<>(); // if, range, ... awaiting end
    int i = 0;
    boolean unsupported = false;
    String unsupportedWhy = null;
    while (i < source.length()) {
      int open2 = source.indexOf("{{", i);
      if (open2 < 0) {
        text.append(source, i, source.length());
        break;
      }
      text.append(source, i, open2);
      int bodyStart = open2 + 2;
      // Go's lexer: "-" and one of its four spaces after the delimiter ("{{-3}}" is a number)
      boolean trimLeft =
          bodyStart + 1 < source.length()
              && source.charAt(bodyStart) == '-'
              && goSpace(source.charAt(bodyStart + 1));
      if (trimLeft) {
        bodyStart += 2;
        trimTrailingSpace(text);
      }
      int close = findClose(source, bodyStart);
      if (close < 0) {
        throw new TemplateException(true, "unclosed action");
      }
      boolean trimRight =
          close - 2 >= bodyStart
              && goSpace(source.charAt(close - 2))
              && source.charAt(close - 1) == '-';
      String raw = source.substring(bodyStart, trimRight ? close - 2 : close);
      i = close + 2;
      if (trimRight) {
        while (i < source.length() && goSpace(source.charAt(i))) {
          i++;
        }
      }
      String why =
          raw.startsWith("/*") ? comment(raw) : structure(goTrim(raw), open, allowedFields);
      if (why == null) {
        if (text.length() > 0) {
          parts.add(new Part(text.toString(), null));
          text.setLength(0);
        }
        parts.add(new Part(null, goTrim(raw).substring(1)));
      } else if (why.startsWith("!")) {
        throw new TemplateException(true, why.substring(1));
      } else if (!unsupported) {
        unsupported = true;
        unsupportedWhy = why;
      }
    }
    if (!open.isEmpty()) {
      throw new TemplateException(true, "unexpected EOF");
    }
    if (unsupported) {
      throw new TemplateException(false, unsupportedWhy);
    }
    if (text.length() > 0) {
      parts.add(new Part(text.toString(), null));
    }
    return new Template(source, List.copyOf(parts));
  }

  /** A comment must follow the delimiter (and trim marker) directly and end right before it. */
  private static String comment(String raw) {
    return goTrim(raw).endsWith("*/") && raw.length() >= 4
        ? "comments are not supported"
        : "!unclosed comment";
  }

  /**
   * Go's parser on control structures: what {@link #classify} says, unless the action breaks the
   * nesting Go checks at parse time (a stray {@code {{end}}} or {@code {{else}}}, {@code {{break}}}
   * outside {@code {{range}}}, {@code {{if}}} without a value).
   */
  private static String structure(String body, java.util.Deque<String> open, Set<String> fields) {
    String first = body.isEmpty() ? "" : WORD_END.split(body, 2)[0];
    boolean bare = first.equals(body);
    switch (first) {
      case "if", "range", "with" -> {
        if (bare) {
          return "!missing value for " + first;
        }
        open.push(first);
      }
      case "define", "block" -> {
        if (first.equals("define") && !open.isEmpty()) {
          return "!unexpected <define> in command";
        }
        open.push(first);
      }
      case "else" -> {
        if (open.isEmpty() || !Set.of("if", "range", "with").contains(open.peek())) {
          return "!unexpected {{else}}";
        }
      }
      case "end" -> {
        if (open.isEmpty()) {
          return "!unexpected {{end}}";
        }
        open.pop();
      }
      case "break", "continue" -> {
        if (!open.contains("range")) {
          return "!{{" + first + "}} outside {{range}}";
        }
      }
      default -> {}
    }
    return classify(body, fields);
  }

  /** Go's white space in templates: space, tab, carriage return and newline, nothing else. */
  private static boolean goSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static String goTrim(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && goSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && goSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  /**
   * null when supported; "!reason" when Go could not parse it; "reason" when merely unsupported.
   */
  private static String classify(String body, Set<String> allowedFields) {
    if (body.isEmpty()) {
      return "!missing value for command";
    }
    if (!balanced(body)) {
      return "!unterminated quoted string or parenthesis in " + body;
    }
    for (String token : TOKEN_END.split(QUOTED.matcher(body).replaceAll("\"\""))) {
      // Go's lexer reads a word starting with a sign or a digit as a number ("{{-.Name}}" is not)
      if (!token.isEmpty()
          && "+-0123456789".indexOf(token.charAt(0)) >= 0
          && !NUMBER.matcher(token).matches()) {
        return "!bad number syntax: " + token;
      }
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
    java.util.regex.Matcher unexpected =
        UNEXPECTED.matcher(QUOTED.matcher(body).replaceAll("\"\""));
    if (unexpected.find()) {
      // Go's words: a character its lexer cannot read, or one no command may hold
      int c = unexpected.group().codePointAt(0);
      return c < 0x80 && c >= 0x20 && c != 0x7f
          ? "!unexpected \"" + unexpected.group() + "\" in command"
          : "!unrecognized character in action: " + String.format("U+%04X", c);
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
    while (end > 0 && goSpace(text.charAt(end - 1))) {
      end--;
    }
    text.setLength(end);
  }
}
