package dev.ofn.webhook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.admission.Endpoint;
import dev.ofn.webhook.admission.Patches;
import dev.ofn.webhook.admission.Webhooks;
import dev.ofn.webhook.check.OfflineAdmission;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.gateways.StaticGatewayCatalog;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.routing.Backend;
import dev.ofn.webhook.routing.ConflictIndex;
import dev.ofn.webhook.routing.HttpRoutes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The defects of the copies that disagreed, each seen the way a user sees it. */
class RouteModelDefectsTest {
  static final String SLASH_GATEWAY =
      """
      apiVersion: networking.openfunction.io/v1alpha1
      kind: Gateway
      metadata: {name: openfunction, namespace: openfunction}
      spec:
        domain: ofn.io
        pathTemplate: "/{{.Namespace}}/{{.Name}}"
        gatewayRef: {name: contour, namespace: projectcontour}
        gatewaySpec:
          listeners:
          - name: ofn-http-external
            hostname: "*.ofn.io"
            port: 80
            protocol: HTTP
            allowedRoutes: {namespaces: {from: All}}
      """;

  /** A Function with a hostname of its own, so its rule comes from the path template. */
  static final String OWN_HOST_FUNCTION =
      """
      apiVersion: core.openfunction.io/v1beta2
      kind: Function
      metadata: {name: hello, namespace: team-a}
      spec:
        image: demo/hello
        serving:
          triggers:
            http:
              route:
                hostnames: [hello.ofn.io]
      """;

  static final String PATH_RULE =
      "[{\"matches\":[{\"path\":{\"type\":\"PathPrefix\",\"value\":\"/team-a/hello\"}}]}]";

  @Test
  void leadingSlashPathTemplateIsValidAndRendersOneSlash(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("objects.yaml");
    Files.writeString(file, SLASH_GATEWAY + "---\n" + OWN_HOST_FUNCTION);

    MainTest.Run check = MainTest.run(Map.of(), "check", "-f", file.toString());
    assertEquals("", check.out());
    assertEquals(0, check.code());

    MainTest.Run defaulted = MainTest.run(Map.of(), "default", "-f", file.toString());
    JsonNode function =
        Json.YAML
            .readValues(Json.YAML.createParser(defaulted.out()), JsonNode.class)
            .readAll()
            .get(1);
    assertEquals(Json.MAPPER.readTree(PATH_RULE), rules(function));

    // the server's core, with that gateway in its catalog
    OfnGateway gateway = OfnGateway.from(Json.YAML.readTree(SLASH_GATEWAY));
    Webhooks core =
        new Webhooks(
            StaticGatewayCatalog.of(List.of(gateway)),
            new ConflictIndex(),
            new Webhooks.Settings(true, true));
    JsonNode received = Json.YAML.readTree(OWN_HOST_FUNCTION);
    JsonNode viaServer =
        Patches.apply(
            received,
            core.handlers()
                .get(Endpoint.MUTATE_FUNCTION)
                .review(OfflineAdmission.create(received))
                .patch());
    assertEquals(Json.MAPPER.readTree(PATH_RULE), rules(viaServer));

    ObjectNode route =
        HttpRoutes.httpRoute(viaServer, gateway, Backend.keda(), "gateway.networking.k8s.io/v1");
    assertEquals(
        "/team-a/hello",
        route
            .path("spec")
            .path("rules")
            .path(0)
            .path("matches")
            .path(0)
            .path("path")
            .path("value")
            .asString());
  }

  @Test
  void parityOnlyNamespacesGetNoRouteWrittenIntoTheirFunctions(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("objects.yaml");
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: legacy, labels: {ofn.io/webhook: parity-only}}
        ---
        """
            + Files.readString(Fixtures.dir().resolve("function-sample-serving-only.yaml")));
    MainTest.Run defaulted =
        MainTest.run(Map.of(), "default", "-f", file.toString(), "-n", "legacy");
    JsonNode function =
        Json.YAML
            .readValues(Json.YAML.createParser(defaulted.out()), JsonNode.class)
            .readAll()
            .get(1);
    JsonNode route =
        function.path("spec").path("serving").path("triggers").path("http").path("route");
    assertEquals(
        Json.MAPPER.readTree(
            "{\"gatewayRef\":{\"name\":\"openfunction\",\"namespace\":\"openfunction\"}}"),
        route);
    assertTrue(function.path("metadata").path("annotations").isMissingNode(), function.toString());

    MainTest.Run elsewhere =
        MainTest.run(Map.of(), "default", "-f", file.toString(), "-n", "team-a");
    assertTrue(
        elsewhere.out().contains("function-sample-serving-only.team-a.ofn.io"), elsewhere.out());
  }

  @Test
  void defaultKeepsStringsThatLookLikeOtherTypesStrings(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("f.yaml");
    ObjectNode function = Fixtures.load("function-sample-serving-only.yaml");
    ObjectNode annotations = Json.objectAt(Json.objectAt(function, "metadata"), "annotations");
    List<String> tricky =
        List.of(
            "8080",
            "20",
            "true",
            "on",
            "Off",
            "yes",
            "y",
            "N",
            "null",
            "~",
            "",
            "1e3",
            "0x1F",
            "0o17",
            "012",
            "1_000",
            "1:20",
            ".inf",
            "-.Inf",
            ".NaN",
            "2024-01-01",
            "2001-12-14t21:59:43.10-05:00",
            "3.14",
            "-7",
            "+1",
            "<<",
            "=");
    for (int i = 0; i < tricky.size(); i++) {
      annotations.put("example.io/value-" + i, tricky.get(i));
    }
    annotations.put("20", "key that looks like a number");
    Files.writeString(file, Json.MAPPER.writeValueAsString(function));
    MainTest.Run run = MainTest.run(Map.of(), "default", "-f", file.toString());
    assertEquals(0, run.code(), run.err());

    Map<String, Object> yaml11 = new Yaml().load(run.out());
    @SuppressWarnings("unchecked")
    Map<Object, Object> parsed =
        (Map<Object, Object>) ((Map<String, Object>) yaml11.get("metadata")).get("annotations");
    JsonNode yaml12 = Json.YAML.readTree(run.out()).path("metadata").path("annotations");
    for (int i = 0; i < tricky.size(); i++) {
      assertEquals(
          tricky.get(i), parsed.get("example.io/value-" + i), "YAML 1.1 reads " + tricky.get(i));
      assertTrue(
          yaml12.path("example.io/value-" + i).isString(), "YAML 1.2 reads " + tricky.get(i));
    }
    assertEquals("key that looks like a number", parsed.get("20"));
  }

  @Test
  void goTemplatesWeDoNotSupportGetThePleaseMakeSureMessage(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("gw.yaml");
    Files.writeString(
        file, SLASH_GATEWAY.replace("\"/{{.Namespace}}/{{.Name}}\"", "'{{printf \"%s\" .Name}}'"));
    MainTest.Run check = MainTest.run(Map.of(), "check", "-f", file.toString());
    assertEquals(
        file
            + ": Gateway openfunction/openfunction: spec.pathTemplate: Invalid value: \"{{printf \\\"%s\\\" .Name}}\": "
            + "invalid path template, please make sure that only the {{Name}} and {{Namespace}} are included in the template",
        check.out().strip());
    assertEquals(1, check.code());
  }

  @Test
  void anEmptyHostTemplateRendersAsTheDefaultOne(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("objects.yaml");
    Files.writeString(
        file,
        SLASH_GATEWAY.replace("domain: ofn.io", "domain: ofn.io\n  hostTemplate: \"\"")
            + "---\n"
            + Files.readString(Fixtures.dir().resolve("function-sample-serving-only.yaml")));
    MainTest.Run check = MainTest.run(Map.of(), "check", "-f", file.toString());
    assertEquals("", check.out());
    MainTest.Run defaulted = MainTest.run(Map.of(), "default", "-f", file.toString());
    assertTrue(
        defaulted.out().contains("- function-sample-serving-only.default.ofn.io"), defaulted.out());
  }

  @Test
  void otherFunctionVersionsAreNamedAsNotCheckedInsteadOfFalseErrors(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("f.yaml");
    Files.writeString(
        file,
        """
        apiVersion: core.openfunction.io/v1beta1
        kind: Function
        metadata: {name: old}
        spec:
          image: demo/old
          serving: {runtime: knative}
        """);
    MainTest.Run check = MainTest.run(Map.of(), "check", "-f", file.toString());
    assertEquals(
        file
            + ": Function default/old: warning: core.openfunction.io/v1beta1 is not checked: the webhooks admit"
            + " core.openfunction.io/v1beta2 (convert the object to that version to check it)",
        check.out().strip());
    assertEquals(0, check.code());
    MainTest.Run defaulted = MainTest.run(Map.of(), "default", "-f", file.toString());
    assertEquals(
        file
            + ": Function default/old: warning: core.openfunction.io/v1beta1 is not defaulted: the"
            + " webhooks admit core.openfunction.io/v1beta2 (convert the object to that version to"
            + " default it)",
        defaulted.err().strip());
    assertEquals(0, defaulted.code());
    assertTrue(defaulted.out().contains("  image: demo/old\n"), "printed as it is");
  }

  private static JsonNode rules(JsonNode function) {
    return function
        .path("spec")
        .path("serving")
        .path("triggers")
        .path("http")
        .path("route")
        .path("rules");
  }

  static List<String> lines(String text) {
    return new ArrayList<>(List.of(text.strip().split("\n")));
  }
}
