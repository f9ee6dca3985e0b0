package dev.ofn.webhook.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A host template run backwards: which namespaces a hostname is rendered for. */
class GeneratedHostsTest {
  private static final String DEFAULT = "{{.Name}}.{{.Namespace}}.{{.Domain}}";

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {{.Name}}.{{.Namespace}}.{{.Domain}} | fn.team-a.ofn.io       | team-a
          {{.Name}}.{{.Namespace}}.{{.Domain}} | a.b.team-a.ofn.io      | team-a
          {{.Name}}.{{.Namespace}}.{{.Domain}} | *.team-a.ofn.io        | team-a
          {{.Name}}.{{.Namespace}}.{{.Domain}} | shop.ofn.io            |
          {{.Name}}.{{.Namespace}}.{{.Domain}} | *.ofn.io               |
          {{.Name}}.{{.Namespace}}.{{.Domain}} | fn.team-a.example.com  |
          {{.Name}}.{{.Namespace}}.{{.Domain}} | fn.-a.ofn.io           |
          {{.Namespace}}.{{.Name}}.{{.Domain}} | team-a.x.y.ofn.io      | team-a
          {{.Name}}-{{.Namespace}}.{{.Domain}} | a-b-c.ofn.io           | b-c c
          {{.Name}}.{{.Domain}}                | fn.team-a.ofn.io       |
          ''                                   | fn.team-a.ofn.io       | team-a
          """)
  void theNamespacesAHostnameIsRenderedFor(String template, String hostname, String namespaces) {
    Set<String> want = namespaces == null ? Set.of() : Set.of(namespaces.split(" "));
    assertEquals(want, GeneratedHosts.namespacesOf(hostname, template, "ofn.io"));
  }

  @Test
  void aServiceHostnameIsItsNamespaces() {
    assertEquals(
        Optional.of("team-a"),
        GeneratedHosts.serviceNamespace("fn.team-a.svc.cluster.local", "cluster.local"));
    assertEquals(
        Optional.of("team-a"),
        GeneratedHosts.serviceNamespace("*.team-a.svc.cluster.local", "cluster.local"));
    assertEquals(
        Optional.empty(),
        GeneratedHosts.serviceNamespace("team-a.svc.cluster.local", "cluster.local"));
    assertEquals(
        Optional.empty(),
        GeneratedHosts.serviceNamespace("fn.team-a.svc.example", "cluster.local"));
  }

  @Test
  void aTemplateThatCannotTellNamespacesApartIsShownWithACollision() {
    assertEquals(Optional.empty(), GeneratedHosts.collision(DEFAULT, "ofn.io"));
    assertEquals(
        Optional.of("a-b-c.ofn.io is rendered for namespaces b-c and c"),
        GeneratedHosts.collision("{{.Name}}-{{.Namespace}}.{{.Domain}}", "ofn.io"));
    assertEquals(
        Optional.of("c-a-b.ofn.io is rendered for namespaces c and c-a"),
        GeneratedHosts.collision("{{.Namespace}}-{{.Name}}.{{.Domain}}", "ofn.io"));
  }

  @Test
  void aTemplateWithoutSeparatorsGivesAHostnameToEveryNamespaceThatFits() {
    String hostname = "a".repeat(100) + ".ofn.io";
    assertEquals(
        63,
        GeneratedHosts.namespacesOf(hostname, "{{.Name}}{{.Namespace}}.{{.Domain}}", "ofn.io")
            .size());
  }
}
