package dev.ofn.webhook.cli;

import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every flag falls back to {@code OFN_WEBHOOK_<FLAG>} (e.g. {@code --probe-port} → {@code
 * OFN_WEBHOOK_PROBE_PORT}).
 */
final class EnvDefaults implements IDefaultValueProvider {
  private final Map<String, String> env;

  EnvDefaults(Map<String, String> env) {
    this.env = env;
  }

  static String variable(String longName) {
    return "OFN_WEBHOOK_"
        + longName.replaceFirst("^--", "").replace('-', '_').toUpperCase(java.util.Locale.ROOT);
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (argSpec instanceof OptionSpec option) {
      String value = env.get(variable(option.longestName()));
      if (value != null) {
        return value;
      }
    }
    return argSpec.defaultValue();
  }
}
