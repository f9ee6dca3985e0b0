package dev.ofn.webhook.check;

import java.util.regex.Pattern;
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

  private YamlOutput() {}

  static YAMLMapper mapper() {
    YAMLFactory factory =
        YAMLFactory.builder()
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
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
      return super.needToQuoteValue(value) || NOT_A_STRING.matcher(value).matches();
    }

    @Override
    public boolean needToQuoteName(String name) {
      return super.needToQuoteName(name) || NOT_A_STRING.matcher(name).matches();
    }
  }
}
