package dev.ofn.webhook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.admission.Endpoint;
import dev.ofn.webhook.gateways.OwnershipMode;
import dev.ofn.webhook.json.Json;
import io.fabric8.zjsonpatch.JsonPatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Hostname ownership on both edges (issue 15): {@code webhook serve --hostname-ownership} over real
 * HTTPS and {@code webhook check --hostname-ownership} print the same lines, with the same exit
 * code, for the e2e's team-a / team-b objects sent in order.
 */
class OwnershipEdgesTest {
  private static final Path E2E = Fixtures.dir().resolveSibling("e2e/fixtures");
  private static final List<Path> FILES =
      List.of(
          E2E.resolve("ownership-team-a.yaml"),
          E2E.resolve("ownership-team-b.yaml"),
          E2E.resolve("ownership-team-b-route.yaml"),
          E2E.resolve("ownership-team-a-admin.yaml"));
  private static final String REFUSAL =
      "Forbidden: hostname shop.ofn.io belongs to namespace team-a (Function team-a/shop)";

  /** What the server answers for the files' objects, in order, as check prints it. */
  private static List<String> viaServer(OwnershipMode mode) throws Exception {
    return viaServer(mode, FILES);
  }

  private static List<String> viaServer(OwnershipMode mode, List<Path> files) throws Exception {
    List<String> lines = new ArrayList<>();
    try (TestServer server = TestServer.start(mode)) {
      for (Path file : files) {
        JsonNode object = Json.YAML.readTree(Files.readString(file));
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        JsonNode current = object;
        for (Endpoint endpoint : Endpoint.forObject(object)) {
          JsonNode response = server.review(endpoint, "CREATE", current, null);
          response.path("warnings").forEach(w -> warnings.add(w.asString()));
          if (response.has("patch")) {
            current =
                JsonPatch.apply(
                    Json.MAPPER.readTree(
                        Base64.getDecoder().decode(response.path("patch").asString())),
                    current);
          }
          if (!response.path("allowed").asBoolean()) {
            errors.addAll(List.of(response.path("status").path("message").asString().split("\n")));
          }
        }
        String prefix =
            file
                + ": "
                + object.path("kind").asString()
                + " "
                + object.path("metadata").path("namespace").asString()
                + "/"
                + object.path("metadata").path("name").asString()
                + ": ";
        errors.forEach(e -> lines.add(prefix + e));
        warnings.forEach(w -> lines.add(prefix + "warning: " + w));
      }
    }
    return lines;
  }

  private static MainTest.Run check(String mode) {
    return check(mode, FILES);
  }

  private static MainTest.Run check(String mode, List<Path> files) {
    List<String> args = new ArrayList<>(List.of("check", "--hostname-ownership", mode));
    files.forEach(f -> args.addAll(List.of("-f", f.toString())));
    return MainTest.run(Map.of(), args.toArray(String[]::new));
  }

  @Test
  void namespaceModeRefusesTeamBOnBothEdges() throws Exception {
    List<String> want =
        List.of(
            FILES.get(1)
                + ": Function team-b/orders: spec.serving.triggers.http.route.hostnames[0]: "
                + REFUSAL,
            FILES.get(2) + ": HTTPRoute team-b/orders-route: spec.hostnames[0]: " + REFUSAL);
    assertEquals(want, viaServer(OwnershipMode.NAMESPACE));
    MainTest.Run run = check("namespace");
    assertEquals(String.join("\n", want), run.out().strip(), run.err());
    assertEquals(1, run.code());
  }

  @Test
  void ownershipOffWarnsOnBothEdges() throws Exception {
    List<String> want =
        List.of(
            FILES.get(1)
                + ": Function team-b/orders: warning: \"shop.ofn.io PathPrefix /api/orders\" is under"
                + " \"PathPrefix /api\" of Function team-a/shop (another namespace)",
            FILES.get(2)
                + ": HTTPRoute team-b/orders-route: warning: \"shop.ofn.io PathPrefix /api/orders/v2\""
                + " is under \"PathPrefix /api\" of Function team-a/shop (another namespace)");
    assertEquals(want, viaServer(OwnershipMode.OFF));
    MainTest.Run run = check("off");
    assertEquals(String.join("\n", want), run.out().strip(), run.err());
    assertEquals(0, run.code());
  }

  @Test
  void allowedHostnamesOfANamespaceInTheInputApplyOffline(@TempDir Path dir) throws Exception {
    Path namespace = dir.resolve("team-b.yaml");
    Files.writeString(
        namespace,
        """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: team-b
          annotations:
            networking.openfunction.io/allowed-hostnames: "*.team-b.ofn.io"
        """);
    MainTest.Run run =
        MainTest.run(Map.of(), "check", "-f", namespace.toString(), "-f", FILES.get(2).toString());
    assertEquals(
        FILES.get(2)
            + ": HTTPRoute team-b/orders-route: spec.hostnames[0]: Forbidden: hostname shop.ofn.io is"
            + " not allowed in namespace team-b (networking.openfunction.io/allowed-hostnames:"
            + " *.team-b.ofn.io)",
        run.out().lines().filter(l -> !l.contains(": Namespace ")).reduce("", String::concat));
    assertEquals(1, run.code());
  }

  /**
   * Issue 19: team-b cannot take team-a's generated or Service hostname, before or after team-a's
   * Function exists, in either mode; team-a's Function is admitted.
   */
  @Test
  void anotherNamespaceCannotSquatAGeneratedHostnameOnEitherEdge(@TempDir Path dir)
      throws Exception {
    Path before = dir.resolve("1-team-b-before.yaml");
    Files.writeString(
        before,
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: squat, namespace: team-b}
        spec:
          parentRefs: [{name: contour, namespace: projectcontour}]
          hostnames: [fn.team-a.ofn.io, fn.team-a.svc.cluster.local]
        """);
    Path function = dir.resolve("2-team-a-function.yaml");
    Files.writeString(
        function,
        """
        apiVersion: core.openfunction.io/v1beta2
        kind: Function
        metadata: {name: fn, namespace: team-a}
        spec:
          image: openfunctiondev/v1beta1-http:latest
          serving:
            triggers:
              http: {port: 8080}
        """);
    Path after = dir.resolve("3-team-b-after.yaml");
    Files.writeString(
        after,
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: admin, namespace: team-b}
        spec:
          parentRefs: [{name: contour, namespace: projectcontour}]
          hostnames: [fn.team-a.ofn.io]
          rules: [{matches: [{path: {type: PathPrefix, value: /admin}}]}]
        """);
    List<Path> files = List.of(before, function, after);
    String template =
        ": Forbidden: hostname fn.team-a.ofn.io belongs to namespace team-a (the host template of"
            + " OFN Gateway openfunction/openfunction renders it for Functions there)";
    List<String> want =
        List.of(
            before + ": HTTPRoute team-b/squat: spec.hostnames[0]" + template,
            before
                + ": HTTPRoute team-b/squat: spec.hostnames[1]: Forbidden: hostname"
                + " fn.team-a.svc.cluster.local belongs to namespace team-a (a Service hostname of"
                + " that namespace)",
            after + ": HTTPRoute team-b/admin: spec.hostnames[0]" + template);
    for (OwnershipMode mode : OwnershipMode.values()) {
      assertEquals(want, viaServer(mode, files), mode.text());
      MainTest.Run run = check(mode.text(), files);
      assertEquals(String.join("\n", want), run.out().strip(), run.err());
      assertEquals(1, run.code());
    }
  }

  @Test
  void anUnknownModeIsOneLineAndExit2() {
    MainTest.Run run =
        MainTest.run(Map.of(), "check", "--hostname-ownership", "strict", "-f", "x.yaml");
    assertEquals(2, run.code());
    assertEquals(
        "webhook: Invalid value for option '--hostname-ownership': 'strict' is not off or namespace"
            + " (see: webhook check --help)",
        run.err().strip());
  }
}
