package dev.ofn.webhook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.Fixtures;
import dev.ofn.webhook.json.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code webhook check --cluster} against fabric8's mock API server (CRUD, our CRDs registered):
 * files checked against the stored gateways and routes, an object that exists being an update of
 * it, and the audit of what is stored.
 */
class CheckClusterTest {
  static final String ROUTE =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: NAME
        namespace: default
        creationTimestamp: "CREATED"
      spec:
        parentRefs: [{name: contour, namespace: projectcontour}]
        hostnames: [shop.ofn.io]
        rules:
          - matches: [{path: {type: PathPrefix, value: /cart}}]
            backendRefs: [{name: cart, port: 80}]
      """;

  /** Held: java.util.logging keeps loggers weakly, and would forget the level. */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  KubernetesMockServer server;
  KubernetesClient client;
  @TempDir Path dir;
  Path kubeconfig;

  @BeforeEach
  void cluster() throws Exception {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    client = server.createClient();
    for (String file :
        List.of(
            "core.openfunction.io_functions.yaml",
            "networking.openfunction.io_gateways.yaml",
            "gateway.networking.k8s.io_gateways.yaml",
            "gateway.networking.k8s.io_httproutes.yaml")) {
      CustomResourceDefinition crd =
          client
              .getKubernetesSerialization()
              .unmarshal(
                  Files.readString(Fixtures.crds().resolve(file)), CustomResourceDefinition.class);
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
    for (String ns : List.of("default", "openfunction", "projectcontour")) {
      create("apiVersion: v1\nkind: Namespace\nmetadata: {name: " + ns + "}\n");
    }
    create(Files.readString(Fixtures.dir().resolve("default-gateway.yaml")));
    kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: mock, cluster: {server: "URL"}}]
        contexts: [{name: mock, context: {cluster: mock, user: mock}}]
        current-context: mock
        users: [{name: mock, user: {token: none}}]
        """
            .replace("URL", server.url("/").replaceAll("/$", "")));
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  void create(String yaml) {
    client
        .resource(
            client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class))
        .create();
  }

  static String route(String name, String created) {
    return ROUTE.replace("NAME", name).replace("CREATED", created);
  }

  MainTest.Run check(String... args) {
    List<String> all =
        new java.util.ArrayList<>(
            List.of("check", "--cluster", "--kubeconfig", kubeconfig.toString()));
    all.addAll(List.of(args));
    return MainTest.run(Map.of(), all.toArray(String[]::new));
  }

  @Test
  void auditListsEachRouteClaimedTwiceWithWinnerAndShadowed() throws Exception {
    // the younger one has the smaller name: age decides, not the name (the mock API server sets
    // creationTimestamp itself, to the second)
    create(route("b-older", "2026-01-01T00:00:00Z"));
    Thread.sleep(1100);
    create(route("a-younger", "2026-02-01T00:00:00Z"));
    create(route("elsewhere", "2026-01-01T00:00:00Z").replace("/cart", "/other"));
    MainTest.Run run = check();
    assertEquals(
        List.of(
            "HTTPRoute default/a-younger: spec.rules[0].matches[0]: \"shop.ofn.io PathPrefix /cart\" on"
                + " gateway projectcontour/contour:80 is shadowed by HTTPRoute default/b-older, which is"
                + " older",
            "audit: 4 objects; 1 shadowed route key(s) in 1 object(s); 0 object(s) our validation would"
                + " refuse"),
        run.out().lines().toList(),
        run.err());
    assertEquals(1, run.code());
  }

  @Test
  void auditOfAHealthyClusterExits0AndJsonNamesTheOwner() throws Exception {
    create(route("a-first", "2026-01-01T00:00:00Z"));
    MainTest.Run clean = check();
    assertEquals(
        "audit: 2 objects; 0 shadowed route key(s) in 0 object(s); 0 object(s) our validation would"
            + " refuse",
        clean.out().strip());
    assertEquals(0, clean.code());
    // older or, within the same second, first by name: a-first wins either way
    create(route("b-later", "2026-03-01T00:00:00Z"));
    MainTest.Run json = check("-o", "json");
    var finding = Json.MAPPER.readTree(json.out()).path("findings").get(0);
    assertEquals("shadowed-route", finding.path("rule").asString());
    assertEquals("b-later", finding.path("name").asString());
    assertEquals("HTTPRoute default/a-first", finding.path("owner").asString());
    assertEquals("spec.rules[0].matches[0]", finding.path("field").asString());
    assertTrue(finding.path("file").isMissingNode(), "a cluster object has no file: " + finding);
  }

  @Test
  void auditNamesStoredObjectsOurValidationWouldRefuse() throws Exception {
    create(
        Files.readString(Fixtures.dir().resolve("function-sample-serving-only.yaml"))
            .replace("  image:", "  imageWas:")
            .replace("metadata:\n", "metadata:\n  namespace: default\n"));
    MainTest.Run run = check();
    assertEquals(
        List.of(
            "Function default/function-sample-serving-only: spec.image: Required value: must be"
                + " specified",
            "audit: 2 objects; 0 shadowed route key(s) in 0 object(s); 1 object(s) our validation"
                + " would refuse"),
        run.out().lines().toList(),
        run.err());
    assertEquals(1, run.code());
  }

  @Test
  void aFileIsCheckedAgainstTheClustersRoutesAndAnExistingObjectIsAnUpdate() throws Exception {
    create(route("b-older", "2026-01-01T00:00:00Z"));
    create(route("a-younger", "2026-02-01T00:00:00Z"));
    Path newRoute = dir.resolve("new.yaml");
    Files.writeString(newRoute, route("new", "").replace("  creationTimestamp: \"\"\n", ""));
    MainTest.Run refused = check("-f", newRoute.toString());
    assertEquals(
        List.of(
            newRoute
                + ": HTTPRoute default/new: spec.rules[0].matches[0]: Forbidden: \"shop.ofn.io"
                + " PathPrefix /cart\" on gateway projectcontour/contour:80 is already routed by"
                + " HTTPRoute default/a-younger",
            newRoute
                + ": HTTPRoute default/new: spec.rules[0].matches[0]: Forbidden: \"shop.ofn.io"
                + " PathPrefix /cart\" on gateway projectcontour/contour:80 is already routed by"
                + " HTTPRoute default/b-older"),
        refused.out().lines().sorted().toList(),
        refused.err());
    assertEquals(1, refused.code());

    // the shadowed route re-applied with a new backend: an update, its old conflict a warning
    Path update = dir.resolve("update.yaml");
    Files.writeString(
        update,
        route("a-younger", "")
            .replace("  creationTimestamp: \"\"\n", "")
            .replace("name: cart", "name: cart-v2"));
    MainTest.Run ratcheted = check("-f", update.toString());
    assertEquals(
        update
            + ": HTTPRoute default/a-younger: warning: \"shop.ofn.io PathPrefix /cart\" on gateway"
            + " projectcontour/contour:80: existing conflict with HTTPRoute default/b-older",
        ratcheted.out().strip(),
        ratcheted.err());
    assertEquals(0, ratcheted.code());
    // offline, the same file is a create and nothing clashes with it
    MainTest.Run offline = MainTest.run(Map.of(), "check", "-f", update.toString());
    assertEquals("", offline.out().strip());
  }

  @Test
  void noReachableClusterIsOneLineAndExit2() throws Exception {
    Path nowhere = dir.resolve("nowhere");
    Files.writeString(
        nowhere, Files.readString(kubeconfig).replaceAll("http://[^\"]+", "http://127.0.0.1:1"));
    MainTest.Run run =
        MainTest.run(Map.of(), "check", "--cluster", "--kubeconfig", nowhere.toString());
    assertEquals(2, run.code());
    assertEquals(
        "webhook check: no reachable cluster (--kubeconfig " + nowhere + ")",
        run.err().lines().filter(l -> l.startsWith("webhook check")).findFirst().orElse(run.err()));
  }
}
