package dev.ofn.webhook.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Go-template subset read as Go's text/template lexer and parser read it: what renders, what Go
 * could not parse ("invalid template") and what it could but we do not support ("please make
 * sure...").
 */
class TemplatesTest {
  private static final Map<String, String> VALUES =
      Map.of("Name", "fn", "Namespace", "team-a", "Domain", "ofn.io");

  /** "rendered: ...", "parse error: ..." or "unsupported: ...". */
  private static String outcome(String source) {
    try {
      return "rendered: " + Templates.parse(source, Names.HOST_FIELDS).render(VALUES);
    } catch (Templates.TemplateException e) {
      return (e.isParseError() ? "parse error: " : "unsupported: ") + e.getMessage();
    }
  }

  @Test
  void theDefaultTemplateRendersAndListsItsFields() throws Exception {
    Templates.Template template =
        Templates.parse("{{.Name}}.{{.Namespace}}.{{.Domain}}", Names.HOST_FIELDS);
    assertEquals("fn.team-a.ofn.io", template.render(VALUES));
    assertEquals(java.util.Set.of("Name", "Namespace", "Domain"), template.fields());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {{-.Name}}.{{.Domain}}               | parse error: bad number syntax: -.Name
          {{.Name}}.{{.Domain}}{{end}}         | parse error: unexpected {{end}}
          {{else}}{{.Name}}                    | parse error: unexpected {{else}}
          {{if .Name}}{{.Name}}                | parse error: unexpected EOF
          {{if}}{{end}}                        | parse error: missing value for if
          {{break}}                            | parse error: {{break}} outside {{range}}
          {{if .Name}}{{.Name}}{{end}}         | unsupported: if is not supported
          {{range .Name}}{{break}}{{end}}      | unsupported: range is not supported
          {{-3}}.{{.Domain}}                   | unsupported: only {{.Domain}}, {{.Name}}, {{.Namespace}} are supported, not {{-3}}
          {{.Labels}}                          | unsupported: field .Labels is not supported
          {{/* a comment */}}{{.Name}}         | unsupported: comments are not supported
          {{ /* not a comment */ }}{{.Name}}   | parse error: unexpected "/" in command
          """)
  void goParsesItOrNotAsGoDoes(String source, String outcome) {
    assertEquals(outcome, outcome(source));
  }

  @Test
  void onlyGosFourSpacesMakeTrimMarkersAndAreTrimmed() {
    // Go: space, tab, carriage return and newline; a carriage return after "{{-" is a marker too
    assertEquals("rendered:  afn-b", outcome(" a \t\r\n{{-\r.Name -}}\n\r-b"));
    // vertical tab, form feed and EM SPACE are text to Go, never trimmed
    assertEquals("rendered: a\u000Bfn\u000Cb", outcome("a\u000B {{- .Name -}} \u000Cb"));
    assertEquals("rendered: a\u2003fn", outcome("a\u2003{{- .Name}}"));
  }

  @ParameterizedTest
  @CsvSource({
    "'{{\u000B.Name}}', unrecognized character in action: U+000B",
    "'{{.Name\u000C}}', unrecognized character in action: U+000C",
    "'{{\u2003.Name}}', unrecognized character in action: U+2003",
    "'{{-\u000B.Name}}', bad number syntax: -\u000B.Name"
  })
  void anyOtherSpaceInsideAnActionIsAParseError(String source, String why) {
    assertEquals("parse error: " + why, outcome(source));
  }
}
