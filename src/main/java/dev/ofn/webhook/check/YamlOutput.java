package dev.ofn.webhook.check;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;
import tools.jackson.dataformat.yaml.util.StringQuotingChecker;

/**
 * YAML for {@code webhook default}: plain where that is safe, quoted wherever a YAML 1.1 or 1.2
 * parser would read the plain text as something other than a string — so {@code "8080"}, {@code
 * "true"}, {@code "on"}, {@code "2024-01-01"} or {@code "~"} stay strings when the output is piped
 * to {@code kubectl apply} (Go's YAML 1.1 parser) or read by any other tool.
 */
final class YamlOutput {
  /** Plain scalars YAML 1.1 or 1.2 resolves to a bool, null, int, float or timestamp. */
  private static final Pattern NOT_A_STRING =
      Pattern.compile(
          String.join(
              "|",
              // bool (1.1 includes y/n and yes/no/on/off in three cases)
              "y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF",
              // null
              "~|null|Null|NULL",
              // int: decimal, octal (0o and 1.1's leading 0), hex, binary, 1.1's _ separators and
              // base 60
              "[-+]?(0|[1-9][0-9_]*)",
              "[-+]?0[0-7_]+|0o[0-7]+|[-+]?0x[0-9a-fA-F_]+|[-+]?0b[01_]+",
              "[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+",
              // float, including exponents without a dot, base 60, infinities and NaN
              "[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+]?[0-9]+)?",
              "[-+]?[0-9][0-9_]*([eE][-+]?[0-9]+)",
              "[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*",
              "[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)",
              // timestamp (date, or date and time)
              "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ]|[ \\t]+)?.*",
              // merge key and value indicator
              "<<|="));

  /**
   * Characters no scalar may hold raw: YAML 1.1 reads NEL, U+2028 and U+2029 as line breaks and
   * refuses DEL as unprintable. A scalar holding one is double-quoted, and {@link #write} escapes
   * them there ({@code \N}, {@code \L}, {@code \P}, {@code \x7F}); the emitter leaves all but NEL
   * raw.
   */
  private static final Pattern NEEDS_ESCAPES = Pattern.compile("[\u0085\u2028\u2029\u007F]");

  private static final YAMLMapper MAPPER = mapper(true);

  /**
   * Every string double-quoted: Jackson writes a minimized multi-line string as a literal block,
   * where no escape exists, so a document holding one with a {@link #NEEDS_ESCAPES} character is
   * written with this one.
   */
  private static final YAMLMapper QUOTED = mapper(false);

  private YamlOutput() {}

  /**
   * One object as a YAML document that YAML 1.1 and 1.2 parsers read back to the same value. Every
   * character of {@link #NEEDS_ESCAPES} left in the text is inside a double-quoted scalar (the
   * checker quotes any scalar holding one, {@link #QUOTED} any multi-line one; there are no
   * comments), where it becomes its escape.
   */
  static String write(JsonNode object) {
    String text = (blockWithEscapes(object) ? QUOTED : MAPPER).writeValueAsString(object);
    return NEEDS_ESCAPES
        .matcher(text)
        .replaceAll(
            m ->
                switch (m.group().charAt(0)) {
                  case '\u0085' -> "\\\\N";
                  case '\u2028' -> "\\\\L";
                  case '\u2029' -> "\\\\P";
                  default -> "\\\\x7F";
                });
  }

  /** A string (value or field name) that minimized quoting would write as a block and escapes. */
  private static boolean blockWithEscapes(JsonNode node) {
    if (node.isString()) {
      return multiLineWithEscapes(node.asString());
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      if (multiLineWithEscapes(field.getKey()) || blockWithEscapes(field.getValue())) {
        return true;
      }
    }
    for (JsonNode item : node.isArray() ? node.values() : List.<JsonNode>of()) {
      if (blockWithEscapes(item)) {
        return true;
      }
    }
    return false;
  }

  private static boolean multiLineWithEscapes(String text) {
    return text.indexOf('\n') >= 0 && NEEDS_ESCAPES.matcher(text).find();
  }

  private static YAMLMapper mapper(boolean minimizeQuotes) {
    YAMLFactory factory =
        YAMLFactory.builder()
            .configure(YAMLWriteFeature.MINIMIZE_QUOTES, minimizeQuotes)
            .disable(YAMLWriteFeature.SPLIT_LINES)
            .stringQuotingChecker(new Checker())
            .build();
    return YAMLMapper.builder(factory).build();
  }

  /** Jackson's own rules (reserved words, special characters), plus {@link #NOT_A_STRING}. */
  private static final class Checker extends StringQuotingChecker.Default {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean needToQuoteValue(String value) {
      return super.needToQuoteValue(value)
          || NOT_A_STRING.matcher(value).matches()
          || NEEDS_ESCAPES.matcher(value).find();
    }

    @Override
    public boolean needToQuoteName(String name) {
      return super.needToQuoteName(name)
          || NOT_A_STRING.matcher(name).matches()
          || NEEDS_ESCAPES.matcher(name).find();
    }
  }
}
