package dev.ofn.webhook.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Gateway API's rules for hostnames and HTTPRoute path matches (HTTPRoute CRD v1.2.1: the
 * {@code hostnames} pattern and lengths, the {@code x-kubernetes-validations} on {@code path}), for
 * objects the Gateway API CRDs never see: a Function's route and an OFN Gateway's templates end up
 * in an HTTPRoute that the apiserver would reject long after the user's {@code kubectl apply}
 * succeeded. The path rules use the CRD's own messages so users meet one wording.
 */
public final class GatewayApiRules {
  public static final int MAX_HOSTNAME = 253;
  public static final int MAX_LABEL = 63;
  public static final int MAX_PATH = 1024;
  public static final List<String> PATH_TYPES = List.of("Exact", "PathPrefix", "RegularExpression");

  /** The HTTPRoute CRD's {@code hostnames[]} pattern. */
  public static final Pattern HOSTNAME =
      Pattern.compile("(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** A lowercase RFC 1123 subdomain (Kubernetes' {@code IsDNS1123Subdomain}). */
  public static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** The CRD's character rule for Exact and PathPrefix values. */
  public static final Pattern PATH_CHARS =
      Pattern.compile("(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+");

  private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

  static final String HOSTNAME_FORMAT =
      "must be a lowercase RFC 1123 hostname, optionally prefixed by '*.': "
          + "lower case alphanumeric characters, '-' or '.', starting and ending with an alphanumeric character "
          + "(e.g. 'foo.example.com' or '*.example.com', regex used for validation is '"
          + HOSTNAME.pattern()
          + "')";
  static final String DNS_FORMAT =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
          + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
          + "regex used for validation is '"
          + DNS_SUBDOMAIN.pattern()
          + "')";
  private static final String EXACT_OR_PREFIX = " when type one of ['Exact', 'PathPrefix']";

  private GatewayApiRules() {}

  /**
   * Why {@code host} is not a Gateway API hostname ({@code *.} allowed), or empty when it is one.
   */
  public static Optional<String> hostnameProblem(String host) {
    return nameProblem(host, true);
  }

  /** Why {@code name} is not a DNS name (no wildcard), e.g. for an OFN Gateway's {@code domain}. */
  public static Optional<String> dnsNameProblem(String name) {
    return nameProblem(name, false);
  }

  /**
   * Why {@code name} cannot name a Kubernetes object such as a Function (the apiserver's {@code
   * IsDNS1123Subdomain}, in its words), or empty when it can.
   */
  public static Optional<String> objectNameProblem(String name) {
    if (name.length() > MAX_HOSTNAME) {
      return Optional.of("must be no more than " + MAX_HOSTNAME + " characters");
    }
    return DNS_SUBDOMAIN.matcher(name).matches() ? Optional.empty() : Optional.of(DNS_FORMAT);
  }

  /** A Gateway API hostname check at {@code path}: no error, or one naming the first problem. */
  public static List<FieldError> hostname(String path, String host) {
    return nameErrors(path, host, hostnameProblem(host));
  }

  /** A DNS name check at {@code path}: no error, or one naming the first problem. */
  public static List<FieldError> dnsName(String path, String name) {
    return nameErrors(path, name, dnsNameProblem(name));
  }

  /**
   * Every rule an HTTPRoute path match value of {@code type} breaks (CRD messages), in the CRD's
   * order; {@code type} null means the CRD default, PathPrefix. Unknown types only get the length
   * rule (the type itself is the caller's to report).
   */
  public static List<String> pathProblems(String type, String value) {
    List<String> problems = new ArrayList<>();
    if (value.codePointCount(0, value.length()) > MAX_PATH) {
      problems.add(tooLong(MAX_PATH));
    }
    String effective = type == null ? "PathPrefix" : type;
    if (!effective.equals("Exact") && !effective.equals("PathPrefix")) {
      return problems;
    }
    if (!value.startsWith("/")) {
      problems.add("value must be an absolute path and start with '/'" + EXACT_OR_PREFIX);
    }
    for (String part : List.of("//", "/./", "/../", "%2f", "%2F", "#")) {
      if (value.contains(part)) {
        problems.add("must not contain '" + part + "'" + EXACT_OR_PREFIX);
      }
    }
    for (String end : List.of("/..", "/.")) {
      if (value.endsWith(end)) {
        problems.add("must not end with '" + end + "'" + EXACT_OR_PREFIX);
      }
    }
    if (!pathChars(value)) {
      problems.add(
          "must only contain valid characters (matching "
              + "^"
              + PATH_CHARS.pattern()
              + "$)"
              + " for types ['Exact', 'PathPrefix']");
    }
    return problems;
  }

  /**
   * {@code PATH_CHARS.matcher(value).matches()} in one loop: the regex recurses once per character
   * (an alternation under {@code +}), so a long value overflowed the stack of the event loop.
   */
  static boolean pathChars(String value) {
    if (value.isEmpty()) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%') {
        if (i + 2 >= value.length() || !hex(value.charAt(i + 1)) || !hex(value.charAt(i + 2))) {
          return false;
        }
        i += 2;
      } else if (!(c >= 'a' && c <= 'z'
          || c >= 'A' && c <= 'Z'
          || c >= '0' && c <= '9'
          || "-/._~!$&'()*+,;=:@".indexOf(c) >= 0)) {
        return false;
      }
    }
    return true;
  }

  private static boolean hex(char c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }

  /**
   * {@link #pathProblems} as field errors on the value's {@code path}; over-long values as Too
   * long.
   */
  public static List<FieldError> pathValue(String path, String type, String value) {
    List<FieldError> errors = new ArrayList<>();
    for (String problem : pathProblems(type, value)) {
      errors.add(
          problem.equals(tooLong(MAX_PATH))
              ? new FieldError(path, FieldError.Type.TOO_LONG, null, problem)
              : FieldError.invalid(path, value, problem));
    }
    return errors;
  }

  static String tooLong(int max) {
    return "may not be more than " + max + " characters";
  }

  private static List<FieldError> nameErrors(String path, String value, Optional<String> problem) {
    if (problem.isEmpty()) {
      return List.of();
    }
    if (problem.get().equals(tooLong(MAX_HOSTNAME))) {
      return List.of(new FieldError(path, FieldError.Type.TOO_LONG, null, problem.get()));
    }
    return List.of(FieldError.invalid(path, value, problem.get()));
  }

  /** One problem, the most telling first: an uppercase host is told so, not shown a regex. */
  private static Optional<String> nameProblem(String name, boolean wildcardAllowed) {
    if (name.isEmpty()) {
      return Optional.of("must not be empty");
    }
    if (name.codePointCount(0, name.length()) > MAX_HOSTNAME) {
      return Optional.of(tooLong(MAX_HOSTNAME));
    }
    String bare = wildcardAllowed && name.startsWith("*.") ? name.substring(2) : name;
    if (!(wildcardAllowed ? HOSTNAME : DNS_SUBDOMAIN).matcher(name).matches()) {
      String lower = name.toLowerCase(java.util.Locale.ROOT);
      if (!lower.equals(name)
          && (wildcardAllowed ? HOSTNAME : DNS_SUBDOMAIN).matcher(lower).matches()) {
        return Optional.of("must be lowercase");
      }
      return Optional.of(wildcardAllowed ? HOSTNAME_FORMAT : DNS_FORMAT);
    }
    for (String label : bare.split("\\.")) {
      if (label.length() > MAX_LABEL) {
        return Optional.of("each label must be no more than " + MAX_LABEL + " characters");
      }
    }
    // the Gateway API forbids IP addresses here; the CRD pattern alone lets IPv4 through
    if (IPV4.matcher(bare).matches()) {
      return Optional.of("must be a DNS name, not an IP address");
    }
    return Optional.empty();
  }
}
