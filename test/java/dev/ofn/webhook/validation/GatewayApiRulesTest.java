package dev.ofn.webhook.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GatewayApiRulesTest {

  @ParameterizedTest(name = "hostname {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      nullValues = "OK",
      textBlock =
          """
      function-sample.default.ofn.io     | OK
      *.ofn.io                           | OK
      podinfo.com                        | OK
      localhost                          | OK
      Podinfo.com                        | must be lowercase
      *.OFN.io                           | must be lowercase
      ""                                 | must not be empty
      a..b                               | must be a lowercase RFC 1123 hostname, optionally prefixed by '*.': lower case alphanumeric characters, '-' or '.', starting and ending with an alphanumeric character (e.g. 'foo.example.com' or '*.example.com', regex used for validation is '(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
      *                                  | must be a lowercase RFC 1123 hostname, optionally prefixed by '*.': lower case alphanumeric characters, '-' or '.', starting and ending with an alphanumeric character (e.g. 'foo.example.com' or '*.example.com', regex used for validation is '(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
      foo.*.com                          | must be a lowercase RFC 1123 hostname, optionally prefixed by '*.': lower case alphanumeric characters, '-' or '.', starting and ending with an alphanumeric character (e.g. 'foo.example.com' or '*.example.com', regex used for validation is '(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
      10.0.0.1                           | must be a DNS name, not an IP address
      """)
  void hostnames(String host, String problem) {
    assertEquals(Optional.ofNullable(problem), GatewayApiRules.hostnameProblem(host));
  }

  @ParameterizedTest(name = "dns name {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      nullValues = "OK",
      textBlock =
          """
      ofn.io        | OK
      cluster.local | OK
      Ofn.io        | must be lowercase
      *.ofn.io      | a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
      ofn_io        | a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
      """)
  void dnsNames(String name, String problem) {
    assertEquals(Optional.ofNullable(problem), GatewayApiRules.dnsNameProblem(name));
  }

  @org.junit.jupiter.api.Test
  void longNamesAndLabels() {
    String label64 = "a".repeat(64);
    assertEquals(
        List.of(
            "x: Invalid value: \""
                + label64
                + ".io\": each label must be no more than 63 characters"),
        Trees.lines(GatewayApiRules.hostname("x", label64 + ".io")));
    String long254 = ("a".repeat(62) + ".").repeat(4) + "io";
    assertEquals(254, long254.length());
    assertEquals(
        List.of("x: Too long: may not be more than 253 characters"),
        Trees.lines(GatewayApiRules.dnsName("x", long254)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      nullValues = "NULL",
      textBlock =
          """
      PathPrefix        | /                  | ""
      PathPrefix        | /v2/foo            | ""
      Exact             | /a/b.c/~d          | ""
      NULL              | /echo              | ""
      Exact             | /%2e               | ""
      PathPrefix        | foo                | value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']
      Exact             | /a//b              | must not contain '//' when type one of ['Exact', 'PathPrefix']
      PathPrefix        | /a/./b             | must not contain '/./' when type one of ['Exact', 'PathPrefix']
      PathPrefix        | /a/../b            | must not contain '/../' when type one of ['Exact', 'PathPrefix']
      PathPrefix        | /a%2fb             | must not contain '%2f' when type one of ['Exact', 'PathPrefix']
      PathPrefix        | /a%2Fb             | must not contain '%2F' when type one of ['Exact', 'PathPrefix']
      PathPrefix        | /a#b               | "must not contain '#' when type one of ['Exact', 'PathPrefix'] && must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']"
      PathPrefix        | /a/..              | must not end with '/..' when type one of ['Exact', 'PathPrefix']
      Exact             | /a/.               | must not end with '/.' when type one of ['Exact', 'PathPrefix']
      Exact             | /a b               | "must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']"
      Exact             | /a%zz              | "must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']"
      RegularExpression | ^foo//(.*)#$       | ""
      """)
  void pathValues(String type, String value, String problem) {
    // several problems are joined by " && " in the table
    assertEquals(
        problem.isEmpty() ? List.of() : List.of(problem.split(" && ")),
        GatewayApiRules.pathProblems(type, value));
  }

  @org.junit.jupiter.api.Test
  void pathValueCollectsEveryProblemAndLength() {
    assertEquals(
        List.of(
            "p: Invalid value: \"a//b#\": must not contain '#' when type one of ['Exact', 'PathPrefix']",
            "p: Invalid value: \"a//b#\": must not contain '//' when type one of ['Exact', 'PathPrefix']",
            "p: Invalid value: \"a//b#\": must only contain valid characters (matching "
                + "^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']",
            "p: Invalid value: \"a//b#\": value must be an absolute path and start with '/' when type one of "
                + "['Exact', 'PathPrefix']"),
        Trees.lines(GatewayApiRules.pathValue("p", "Exact", "a//b#")).stream().sorted().toList());
    assertEquals(
        List.of("p: Too long: may not be more than 1024 characters"),
        Trees.lines(GatewayApiRules.pathValue("p", "RegularExpression", "x".repeat(1025))));
    assertEquals(List.of(), GatewayApiRules.pathValue("p", "RegularExpression", "x".repeat(1024)));
  }

  /**
   * Found by AdmissionFuzzTest: a 100,000-character path overflowed the stack in the PATH_CHARS
   * regex.
   */
  @org.junit.jupiter.api.Test
  void longPathValuesAreReportedNotAStackOverflow() {
    String value = "/" + "x.".repeat(50_000);
    assertEquals(
        List.of("p: Too long: may not be more than 1024 characters"),
        Trees.lines(GatewayApiRules.pathValue("p", "PathPrefix", value)));
    assertEquals(2, GatewayApiRules.pathProblems("Exact", "/" + "x ".repeat(50_000)).size());
  }

  /** The loop that replaced the regex agrees with it wherever the regex does not overflow. */
  @org.junit.jupiter.api.Test
  void pathCharsAgreesWithThePattern() {
    java.util.Random random = new java.util.Random(7);
    String alphabet = "aZ09-/._~!$&'()*+,;=:@%fFgG #?\"\u00e9";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder value = new StringBuilder();
      int n = random.nextInt(8);
      for (int j = 0; j < n; j++) {
        value.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String v = value.toString();
      assertEquals(
          GatewayApiRules.PATH_CHARS.matcher(v).matches(), GatewayApiRules.pathChars(v), v);
    }
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      nullValues = "INVALID",
      textBlock =
          """
      -10m      | -10m0s
      1h30m     | 1h30m0s
      -1.5h     | -1h30m0s
      300ms     | 300ms
      -1.5ms    | -1.5ms
      -2us      | -2µs
      -7ns      | -7ns
      -0s       | 0s
      0         | 0s
      +5s       | 5s
      1h2m3.25s | 1h2m3.25s
      .5s       | 500ms
      10        | INVALID
      abc       | INVALID
      -         | INVALID
      1x        | INVALID
      ""        | INVALID
      """)
  void goDurations(String text, String printed) {
    assertEquals(Optional.ofNullable(printed), GoDuration.parse(text).map(GoDuration::toString));
  }
}
