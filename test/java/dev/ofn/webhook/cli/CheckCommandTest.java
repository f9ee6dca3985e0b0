package dev.ofn.webhook.cli;

import static java.nio.charset.StandardCharsets.UTF_16LE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.json.Json;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;

/**
 * {@code webhook check} as a CI gate: nothing stops it early, exit codes, objects given twice,
 * folders that must be rendered first, and each output format parsed back as its consumers parse
 * it.
 */
class CheckCommandTest {
  static final String FIRST =
      """
      apiVersion: core.openfunction.io/v1beta2
      kind: Function
      metadata:
        name: first
      spec:
        version: v1.0.0
        image: example/first:latest
        serving:
          triggers:
            http:
              port: 8080
              route:
                rules:
                  - matches:
                      - path: {type: PathPrefix, value: /api}
      """;

  /** Takes the first one's host and path: refused, naming Function default/first. */
  static final String SECOND =
      """
      apiVersion: core.openfunction.io/v1beta2
      kind: Function
      metadata:
        name: second
      spec:
        version: v1.0.0
        image: example/second:latest
        serving:
          triggers:
            http:
              port: 8080
              route:
                hostnames: [first.default.ofn.io]
                rules:
                  - matches:
                      - path: {type: PathPrefix, value: /api}
      """;

  static final String CONFLICT_LINE =
      ": Function default/second: spec.serving.triggers.http.route.rules[0].matches[0]: Forbidden:"
          + " \"first.default.ofn.io PathPrefix /api\" on gateway projectcontour/contour:80 is"
          + " already routed by Function default/first";

  /** One broken file and two conflicting Functions (in one file, the second from line 17). */
  static Path brokenAndConflicting(Path dir) throws Exception {
    Files.writeString(dir.resolve("a-functions.yaml"), FIRST + "---\n" + SECOND);
    Files.writeString(
        dir.resolve("b-broken.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [oops\n");
    return dir;
  }

  @Test
  void jsonOfABrokenFileAndTwoConflictingFunctionsHasBothAndExits1(@TempDir Path dir)
      throws Exception {
    brokenAndConflicting(dir);
    MainTest.Run run = MainTest.run(Map.of(), "check", "-o", "json", "-f", dir.toString());
    assertEquals(1, run.code(), run.err());
    JsonNode report = Json.MAPPER.readTree(run.out());
    assertEquals(2, report.path("errors").asInt(), run.out());
    JsonNode conflict = report.path("findings").get(0);
    assertEquals("error", conflict.path("severity").asString());
    assertEquals("route-conflict", conflict.path("rule").asString());
    assertEquals(dir.resolve("a-functions.yaml").toString(), conflict.path("file").asString());
    assertEquals(32, conflict.path("line").asInt(), "the line of matches[0] in the second");
    assertEquals("Function", conflict.path("kind").asString());
    assertEquals("default", conflict.path("namespace").asString());
    assertEquals("second", conflict.path("name").asString());
    assertEquals(
        "spec.serving.triggers.http.route.rules[0].matches[0]", conflict.path("field").asString());
    assertTrue(conflict.path("message").asString().startsWith("Forbidden: \"first.default.ofn.io"));
    assertEquals("Function default/first", conflict.path("owner").asString());
    assertEquals(dir.resolve("a-functions.yaml").toString(), conflict.path("ownerFile").asString());
    assertEquals(1, conflict.path("ownerLine").asInt());
    JsonNode broken = report.path("findings").get(1);
    assertEquals("unreadable", broken.path("rule").asString());
    assertEquals(dir.resolve("b-broken.yaml").toString(), broken.path("file").asString());
    assertEquals(4, broken.path("line").asInt());
    assertEquals(
        "while parsing a flow sequence: expected ',' or ']', but got <stream end> (line 5)",
        broken.path("message").asString());
  }

  @Test
  void textKeepsCheckingAfterADocumentThatIsNotAnObject(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("mixed.yaml");
    Files.writeString(
        file, "- a\n- list\n---\n" + SECOND.replace("  image: example/second:latest\n", ""));
    Path other = dir.resolve("other.yaml");
    Files.writeString(other, "{not yaml: [");
    MainTest.Run run =
        MainTest.run(Map.of(), "check", "-f", other.toString(), "-f", file.toString());
    assertEquals(1, run.code(), run.err());
    assertEquals(
        List.of(
            // JSON, as kubectl sniffs it: the JSON parser's answer
            other
                + ": line 1: Unexpected character ('n' (code 110)): was expecting double-quote to"
                + " start property name",
            file + ": line 1: the document is not an object",
            file + ": Function default/second: spec.image: Required value: must be specified"),
        run.out().lines().toList(),
        run.err());
  }

  /** A file saved by a Windows editor (UTF-16) or in Latin-1 is one error; the rest is checked. */
  @Test
  void aFileThatIsNotUtf8IsOneErrorAndTheOthersAreChecked(@TempDir Path dir) throws Exception {
    Path utf16 = Files.writeString(dir.resolve("utf16.yaml"), "\uFEFF" + FIRST, UTF_16LE);
    Path latin1 =
        Files.writeString(
            dir.resolve("latin1.yaml"), "# caf\u00e9 menu\n" + FIRST, StandardCharsets.ISO_8859_1);
    Path second =
        Files.writeString(
            dir.resolve("second.yaml"), SECOND.replace("  image: example/second:latest\n", ""));
    MainTest.Run run =
        MainTest.run(
            Map.of(),
            "check",
            "-f",
            utf16.toString(),
            "-f",
            latin1.toString(),
            "-f",
            second.toString());
    assertEquals(1, run.code(), run.err());
    assertEquals(
        List.of(
            utf16
                + ": line 1: not UTF-8 text (a UTF-16 byte-order mark): save it as UTF-8, the"
                + " encoding kubectl reads",
            latin1
                + ": line 1: not UTF-8 text (byte 5): save it as UTF-8, the encoding kubectl"
                + " reads",
            second + ": Function default/second: spec.image: Required value: must be specified"),
        run.out().lines().toList(),
        run.err());
  }

  /** The API server would refuse these kinds; skipping them silently would pass a typo. */
  @Test
  void ourKindsInTheWrongCaseAreNamedNotSkipped(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("typos.yaml"),
            FIRST.replace("kind: Function", "kind: function")
                + "---\n"
                + "apiVersion: networking.openfunction.io/v1alpha1\n"
                + "kind: gateway\n"
                + "metadata: {name: gw}\n");
    MainTest.Run run = MainTest.run(Map.of(), "check", "-f", file.toString());
    assertEquals(
        List.of(
            file
                + ": function default/first: warning: not a kind this tool checks; did you mean"
                + " Function?",
            file
                + ": gateway default/gw: warning: not a kind this tool checks; did you mean"
                + " Gateway?"),
        run.out().lines().toList(),
        run.err());
    assertEquals(0, run.code());
  }

  @Test
  void anObjectGivenTwiceIsCheckedOnceAndDoesNotConflictWithItself(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("a.yaml"), FIRST);
    Files.writeString(dir.resolve("b.yaml"), SECOND);
    Files.writeString(dir.resolve("c-overlay.yaml"), FIRST);
    MainTest.Run run = MainTest.run(Map.of(), "check", "-f", dir.toString());
    assertEquals(
        List.of(
            dir.resolve("b.yaml") + CONFLICT_LINE,
            dir.resolve("c-overlay.yaml")
                + ": Function default/first: note: the same object as "
                + dir.resolve("a.yaml")
                + " line 1: checked once, there"),
        run.out().lines().toList());
    assertEquals(1, run.code());
  }

  @Test
  void kustomizationsAndHelmChartsAreNotReadButNamed(@TempDir Path dir) throws Exception {
    Path kustomize = Files.createDirectories(dir.resolve("overlay"));
    Files.writeString(kustomize.resolve("kustomization.yaml"), "resources: [../base]\n");
    // a strategic-merge patch: not an object of its own, an error if it were read as one
    Files.writeString(
        kustomize.resolve("patch.yaml"), SECOND.replace("image: example/second:latest\n", ""));
    Path chart = Files.createDirectories(dir.resolve("chart/templates"));
    Files.writeString(dir.resolve("chart/Chart.yaml"), "name: c\nversion: 0.1.0\n");
    Files.writeString(chart.resolve("f.yaml"), "{{- if .Values.x }}\nkind: Function\n{{- end }}\n");
    Files.writeString(dir.resolve("plain.yaml"), FIRST);
    MainTest.Run run = MainTest.run(Map.of(), "check", "-f", dir.toString());
    assertEquals(
        List.of(
            dir.resolve("chart")
                + ": note: a Helm chart, not checked: render it first (helm template "
                + dir.resolve("chart")
                + " | webhook check -f -)",
            kustomize
                + ": note: a kustomization, not checked: render it first (kubectl kustomize "
                + kustomize
                + " | webhook check -f -)"),
        run.out().lines().toList());
    assertEquals(0, run.code(), "notes do not fail the check");
  }

  @Test
  void theProjectsOwnManifestsFolderIsNamedAsAKustomization() {
    MainTest.Run run = MainTest.run(Map.of(), "check", "-f", "manifests");
    assertEquals(
        "manifests: note: a kustomization, not checked: render it first (kubectl kustomize"
            + " manifests | webhook check -f -)",
        run.out().strip());
    assertEquals(0, run.code());
  }

  @Test
  void strictFailsOnAHostnameThatMatchesNoListener() {
    String file = Fixtures.dir().resolve("function-kedahttp-sample-serving.yaml").toString();
    MainTest.Run lenient = MainTest.run(Map.of(), "check", "-f", file);
    assertEquals(0, lenient.code(), lenient.out());
    assertTrue(lenient.out().contains("warning: hostname podinfo.com matches no listener"));
    MainTest.Run strict = MainTest.run(Map.of(), "check", "--strict", "-f", file);
    assertEquals(1, strict.code(), strict.out());
    assertEquals(lenient.out(), strict.out());
  }

  @Test
  void usageErrorsExit2WithOneLine() {
    MainTest.Run noInput = MainTest.run(Map.of(), "check");
    assertEquals(2, noInput.code());
    assertEquals(
        "webhook check: give -f FILE|DIR|- (or --cluster alone to audit the cluster)",
        noInput.err().strip());
    MainTest.Run badFormat = MainTest.run(Map.of(), "check", "-o", "xml", "-f", "manifests");
    assertEquals(2, badFormat.code());
    assertEquals(1, badFormat.err().strip().lines().count(), badFormat.err());
    assertTrue(badFormat.err().contains("'xml'"), badFormat.err());
  }

  @Test
  void sarifValidatesAgainstTheSarif210Schema(@TempDir Path dir) throws Exception {
    brokenAndConflicting(dir);
    MainTest.Run run = MainTest.run(Map.of(), "check", "-o", "sarif", "-f", dir.toString());
    assertEquals(1, run.code());
    Schema schema;
    try (InputStream in =
        CheckCommandTest.class.getResourceAsStream("/sarif/sarif-schema-2.1.0.json")) {
      schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(in);
    }
    JsonNode sarif = Json.MAPPER.readTree(run.out());
    assertEquals(List.of(), schema.validate(sarif).stream().map(Object::toString).toList());
    // the schema accepts almost anything: the fields a code-scanning upload needs, by hand
    assertEquals("2.1.0", sarif.path("version").asString());
    JsonNode run0 = sarif.path("runs").get(0);
    assertEquals("ofn-webhook", run0.path("tool").path("driver").path("name").asString());
    JsonNode conflict = run0.path("results").get(0);
    assertEquals("route-conflict", conflict.path("ruleId").asString());
    assertEquals("error", conflict.path("level").asString());
    JsonNode location = conflict.path("locations").get(0).path("physicalLocation");
    assertTrue(
        location.path("artifactLocation").path("uri").asString().endsWith("/a-functions.yaml"));
    assertEquals(32, location.path("region").path("startLine").asInt());
    assertEquals(
        "Function default/first",
        conflict.path("relatedLocations").get(0).path("message").path("text").asString());
    List<String> ruleIds = new ArrayList<>();
    run0.path("tool")
        .path("driver")
        .path("rules")
        .forEach(r -> ruleIds.add(r.path("id").asString()));
    run0.path("results")
        .forEach(r -> assertTrue(ruleIds.contains(r.path("ruleId").asString()), r.toString()));
    // and a schema violation is seen, so the validation above can fail
    ((tools.jackson.databind.node.ObjectNode) conflict).put("level", "fatal");
    assertFalse(schema.validate(sarif).isEmpty());
  }

  @Test
  void junitHasOneTestCasePerObjectAndParses(@TempDir Path dir) throws Exception {
    brokenAndConflicting(dir);
    MainTest.Run run = MainTest.run(Map.of(), "check", "-o", "junit", "-f", dir.toString());
    assertEquals(1, run.code());
    var xml =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(run.out().getBytes(StandardCharsets.UTF_8)));
    Element suites = xml.getDocumentElement();
    assertEquals("testsuites", suites.getTagName());
    assertEquals("3", suites.getAttribute("tests"));
    assertEquals("2", suites.getAttribute("failures"));
    NodeList cases = xml.getElementsByTagName("testcase");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < cases.getLength(); i++) {
      Element test = (Element) cases.item(i);
      names.add(
          test.getAttribute("name")
              + (test.getElementsByTagName("failure").getLength() > 0 ? " FAILED" : ""));
    }
    assertEquals(
        List.of(
            "Function default/first",
            "Function default/second FAILED",
            dir.resolve("b-broken.yaml") + " FAILED"),
        names);
    Element failure = (Element) xml.getElementsByTagName("failure").item(0);
    assertTrue(failure.getTextContent().contains(CONFLICT_LINE), failure.getTextContent());
  }

  @Test
  void githubPrintsWorkflowCommandsWithFileAndLine(@TempDir Path dir) throws Exception {
    brokenAndConflicting(dir);
    MainTest.Run run = MainTest.run(Map.of(), "check", "-o", "github", "-f", dir.toString());
    assertEquals(1, run.code());
    assertEquals(
        List.of(
            "::error file="
                + dir.resolve("a-functions.yaml")
                + ",line=32,title=webhook check%3A Function default/second::Function default/second:"
                + CONFLICT_LINE.substring(": Function default/second:".length()),
            "::error file="
                + dir.resolve("b-broken.yaml")
                + ",line=4,title=webhook check::while parsing a flow sequence: expected ',' or ']',"
                + " but got <stream end> (line 5)",
            "webhook check: 2 objects, 2 errors, 0 warnings"),
        run.out().lines().toList());
  }

  @Test
  void stdinHasNoFileToAnnotate() {
    var previous = System.in;
    try {
      System.setIn(
          new ByteArrayInputStream((FIRST + "---\n" + SECOND).getBytes(StandardCharsets.UTF_8)));
      MainTest.Run run = MainTest.run(Map.of(), "check", "-o", "github", "-f", "-");
      assertEquals(1, run.code());
      assertTrue(
          run.out()
              .startsWith(
                  "::error title=webhook check%3A Function default/second::Function default/second:"
                      + " spec.serving"),
          run.out());
    } finally {
      System.setIn(previous);
    }
  }

  @Test
  void gatewayFilesGiveTheGatewaysWithoutACluster(@TempDir Path dir) throws Exception {
    Path gateway = dir.resolve("gateway.yaml");
    Files.writeString(
        gateway,
        Files.readString(Fixtures.dir().resolve("default-gateway.yaml"))
            .replace("ofn.io", "example.com"));
    Path route = dir.resolve("route.yaml");
    Files.writeString(
        route,
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: raw, namespace: default}
        spec:
          parentRefs: [{name: contour, namespace: projectcontour}]
          hostnames: [first.default.example.com]
          rules:
            - matches: [{path: {type: PathPrefix, value: /api}}]
        """);
    Path function = dir.resolve("function.yaml");
    Files.writeString(function, FIRST);
    MainTest.Run run =
        MainTest.run(
            Map.of(),
            "check",
            "--gateway",
            gateway.toString(),
            "-f",
            function.toString(),
            "-f",
            route.toString());
    assertEquals(
        route
            + ": HTTPRoute default/raw: spec.rules[0].matches[0]: Forbidden: \"first.default.example.com"
            + " PathPrefix /api\" on gateway projectcontour/contour:80 is already routed by Function"
            + " default/first",
        run.out().strip());
    assertEquals(1, run.code());
    MainTest.Run without =
        MainTest.run(Map.of(), "check", "-f", function.toString(), "-f", route.toString());
    assertEquals(
        0, without.code(), "with the built-in gateway (ofn.io) they do not meet: " + without.out());
  }
}
