package dev.ofn.webhook.manifests;

import static dev.ofn.webhook.manifests.WebhookManifestsTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Helm chart, through Helm itself (helm-java): it lints, and it renders exactly the objects of
 * {@code manifests/} (with each component) for the matching values, so that both install paths
 * install the same thing.
 */
class ChartTest {
  static final Path CHART = Kustomize.manifests().resolveSibling("charts").resolve("ofn-webhook");

  /** Labels only Helm adds; {@code app.kubernetes.io/name} (the selector) is common to both. */
  static final Set<String> HELM_LABELS =
      Set.of("app.kubernetes.io/instance", "app.kubernetes.io/managed-by", "helm.sh/chart");

  @TempDir Path overlay;

  static String template(String namespace, Map<String, Object> values) {
    return template(CHART, namespace, values);
  }

  static String template(Path chart, String namespace, Map<String, Object> values) {
    TemplateCommand command = new Helm(chart).template().withName("ofn-webhook");
    command = command.withNamespace(namespace);
    for (Map.Entry<String, Object> value : values.entrySet()) {
      command = command.set(value.getKey(), value.getValue());
    }
    return command.call();
  }

  /**
   * The chart's objects for these values. helm-java's {@code template} models a 1.20 API server,
   * which serves no policy/v1: its PodDisruptionBudget comes out as policy/v1beta1 and is compared
   * as the policy/v1 that newer clusters get ({@link #podDisruptionBudgetFollowsTheApiServer}
   * checks both).
   */
  static List<ObjectNode> render(Map<String, Object> values) {
    return documents(template("ofn-webhook-system", values));
  }

  /** Helm's text as objects, its 1.20 PodDisruptionBudget compared as policy/v1 (see render). */
  static List<ObjectNode> documents(String text) {
    List<ObjectNode> docs = Kustomize.documents(text);
    for (ObjectNode doc : docs) {
      if (doc.path("kind").asString().equals("PodDisruptionBudget")) {
        assertEquals("policy/v1beta1", doc.path("apiVersion").asString());
        doc.put("apiVersion", "policy/v1");
      }
    }
    return docs;
  }

  @Test
  void podDisruptionBudgetFollowsTheApiServer(@TempDir Path copies) throws IOException {
    assertTrue(
        template("ofn-webhook-system", Map.of()).contains("apiVersion: policy/v1beta1\n"),
        "1.20 (helm-java's capabilities)");
    Path chart = copies.resolve("ofn-webhook");
    copy(CHART, chart);
    Path pdb = chart.resolve("templates").resolve("pdb.yaml");
    String text = Files.readString(pdb);
    String check = ".Capabilities.APIVersions.Has \"policy/v1/PodDisruptionBudget\"";
    assertTrue(text.contains(check), text);
    Files.writeString(pdb, text.replace(check, "true"));
    String v1 = template(chart, "ofn-webhook-system", Map.of());
    assertTrue(v1.contains("apiVersion: policy/v1\nkind: PodDisruptionBudget"), v1);
  }

  /**
   * helm-java's lint takes no values: each mode is linted on a copy of the chart whose values.yaml
   * selects it.
   */
  @Test
  void lintsStrictForEveryMode(@TempDir Path copies) throws IOException {
    Map<String, Map<String, String>> modes =
        Map.of(
            "default", Map.of(),
            "cert-manager", Map.of("certMode: self", "certMode: cert-manager"),
            "beside-openfunction", Map.of("controller: true", "controller: false"),
            "gateway-api-only", Map.of("gatewayApiOnly: false", "gatewayApiOnly: true"),
            "openshift", Map.of("openshift: false", "openshift: true"));
    for (Map.Entry<String, Map<String, String>> mode : modes.entrySet()) {
      Path chart = copies.resolve(mode.getKey()).resolve("ofn-webhook");
      copy(CHART, chart);
      String values = Files.readString(chart.resolve("values.yaml"));
      for (Map.Entry<String, String> edit : mode.getValue().entrySet()) {
        assertTrue(values.contains("\n" + edit.getKey() + "\n"), edit.getKey());
        values = values.replace("\n" + edit.getKey() + "\n", "\n" + edit.getValue() + "\n");
      }
      Files.writeString(chart.resolve("values.yaml"), values);
      LintResult result = new Helm(chart).lint().strict().call();
      assertFalse(
          result.isFailed(), () -> mode.getKey() + ": " + String.join("\n", result.getMessages()));
    }
  }

  static void copy(Path from, Path to) throws IOException {
    try (var files = Files.walk(from)) {
      for (Path source : files.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }

  @Test
  void defaultValuesRenderTheKustomizeBase() {
    assertEquals(
        byId(Kustomize.render(Kustomize.manifests())),
        byId(render(Map.of())),
        "kubectl -k vs helm");
  }

  @Test
  void certManagerRendersTheBaseWithTheCertManagerComponent() throws IOException {
    assertSameObjects(
        Kustomize.render(overlayWith("cert-manager")), render(Map.of("certMode", "cert-manager")));
  }

  @Test
  void controllerOffRendersTheBaseWithTheBesideOpenFunctionComponent() throws IOException {
    assertSameObjects(
        Kustomize.render(overlayWith("beside-openfunction")),
        render(Map.of("controller", "false")));
  }

  @Test
  void gatewayApiOnlyRendersTheBaseWithTheGatewayApiOnlyComponent() throws IOException {
    List<ObjectNode> helm = render(Map.of("gatewayApiOnly", "true"));
    assertSameObjects(Kustomize.render(overlayWith("gateway-api-only")), helm);
    // With cert-manager too, nothing needs a leader: the chart leaves the Lease's Role out, the
    // kustomize components cannot (as beside OpenFunction with cert-manager).
    List<ObjectNode> certManager =
        render(Map.of("gatewayApiOnly", "true", "certMode", "cert-manager"));
    assertEquals(Set.of("ClusterRole ofn-webhook"), roles(certManager));
    Map<String, JsonNode> kustomized =
        byId(Kustomize.render(overlayWith("gateway-api-only", "cert-manager")));
    kustomized.remove("Role ofn-webhook-system/ofn-webhook");
    kustomized.remove("RoleBinding ofn-webhook-system/ofn-webhook");
    assertEquals(kustomized, byId(certManager));
    Set<String> hooks = new TreeSet<>();
    Kustomize.find(helm, "ValidatingWebhookConfiguration", "ofn-webhook")
        .path("webhooks")
        .forEach(h -> hooks.add(h.path("name").asString()));
    assertFalse(
        hooks.contains("vfunctions.of.io") || hooks.contains("vgateway.of.io"), hooks::toString);
    assertEquals(Set.of("vhttproutes.of.io", "vgrpcroutes.of.io"), hooks);
    assertFalse(kinds(helm).contains("MutatingWebhookConfiguration"), "nothing to default");
    assertEquals(
        List.of(
            "gateway.networking.k8s.io gatewayclasses,gateways,listenersets,httproutes,grpcroutes [] get,list,watch",
            " namespaces [] get,list,watch",
            "apiextensions.k8s.io customresourcedefinitions [] get,list,watch"),
        RbacManifestsTest.rules(Kustomize.find(helm, "ClusterRole", "ofn-webhook")),
        "no OpenFunction kinds read");
    assertEquals(
        Set.of(
            "ClusterRole ofn-webhook",
            "ClusterRole ofn-webhook-cabundle",
            "Role ofn-webhook",
            "Role ofn-webhook-certs"),
        roles(helm),
        "no controller, whatever `controller` says");
  }

  @Test
  void anotherNamespaceIsUsedEverywhereLikeTheExampleOverlay() {
    String text = template("platform-hooks", Map.of("certMode", "cert-manager"));
    assertFalse(text.contains("ofn-webhook-system"), text);
    Path example = Kustomize.manifests().resolveSibling("examples").resolve("other-namespace");
    List<ObjectNode> docs = documents(text);
    assertSameObjects(Kustomize.render(example), docs);
    assertEquals(
        "platform-hooks/ofn-webhook-serving",
        Kustomize.find(docs, "ValidatingWebhookConfiguration", "ofn-webhook")
            .path("metadata")
            .path("annotations")
            .path("cert-manager.io/inject-ca-from")
            .asString());
    assertEquals(
        json(
            "[\"ofn-webhook\",\"ofn-webhook.platform-hooks\",\"ofn-webhook.platform-hooks.svc\","
                + "\"ofn-webhook.platform-hooks.svc.cluster.local\"]"),
        Kustomize.find(docs, "Certificate", "ofn-webhook-serving").path("spec").path("dnsNames"));
  }

  @Test
  void eachModeGrantsOnlyWhatItUses() {
    assertEquals(
        Set.of(
            "ClusterRole ofn-webhook",
            "ClusterRole ofn-webhook-controller",
            "ClusterRole ofn-webhook-cabundle",
            "Role ofn-webhook",
            "Role ofn-webhook-certs"),
        roles(render(Map.of())));
    assertEquals(
        Set.of("ClusterRole ofn-webhook", "ClusterRole ofn-webhook-controller", "Role ofn-webhook"),
        roles(render(Map.of("certMode", "cert-manager"))));
    assertEquals(
        Set.of(
            "ClusterRole ofn-webhook",
            "ClusterRole ofn-webhook-cabundle",
            "Role ofn-webhook",
            "Role ofn-webhook-certs"),
        roles(render(Map.of("controller", "false"))));
    assertEquals(
        Set.of("ClusterRole ofn-webhook"),
        roles(render(Map.of("controller", "false", "certMode", "cert-manager"))),
        "admission only, certificates from files: no Lease, no writes");
  }

  @Test
  void aMistypedValueIsRefusedByName() {
    assertEquals(
        "- certMode: certMode must be one of the following: \"self\", \"cert-manager\"",
        schemaError(Map.of("certMode", "cert_manager")));
    assertEquals(
        "- controller: Invalid type. Expected: boolean, given: string",
        schemaError(Map.of("controller", "flase")));
    assertEquals(
        "- serviceMonitor: Additional property enable is not allowed",
        schemaError(Map.of("serviceMonitor.enable", "true")));
    assertEquals(
        "- (root): Additional property podLabel is not allowed",
        schemaError(Map.of("podLabel.team", "a")));
    assertEquals(
        "- webhooks.vgateway: Additional property failurPolicy is not allowed",
        schemaError(Map.of("webhooks.vgateway.failurPolicy", "Ignore")));
  }

  /** The schema's complaint: the line after Helm's "values don't meet the specifications". */
  private static String schemaError(Map<String, Object> values) {
    RuntimeException e = assertThrows(RuntimeException.class, () -> render(values));
    List<String> lines = e.getMessage().strip().lines().map(String::strip).toList();
    assertTrue(
        lines.get(0).contains("values don't meet the specifications of the schema"),
        e.getMessage());
    return String.join("\n", lines.subList(2, lines.size()));
  }

  @Test
  void securityContextsAreValuesAndOpenShiftLeavesIdsToThePlatform() {
    JsonNode pod = pod(render(Map.of()));
    assertEquals(
        json(
            "{\"runAsNonRoot\":true,\"runAsUser\":65532,\"runAsGroup\":65532,\"fsGroup\":65532,"
                + "\"seccompProfile\":{\"type\":\"RuntimeDefault\"}}"),
        pod.path("securityContext"));
    JsonNode restricted =
        json(
            "{\"runAsNonRoot\":true,\"allowPrivilegeEscalation\":false,\"readOnlyRootFilesystem\":true,"
                + "\"capabilities\":{\"drop\":[\"ALL\"]},\"seccompProfile\":{\"type\":\"RuntimeDefault\"}}");
    assertEquals(restricted, pod.path("containers").get(0).path("securityContext"));

    String openshift = template("ofn-webhook-system", Map.of("openshift", "true"));
    for (String field : List.of("runAsUser", "runAsGroup", "fsGroup")) {
      assertFalse(openshift.contains(field), field + " rendered:\n" + openshift);
    }
    JsonNode onOpenShift = pod(Kustomize.documents(openshift));
    assertEquals(
        json("{\"runAsNonRoot\":true,\"seccompProfile\":{\"type\":\"RuntimeDefault\"}}"),
        onOpenShift.path("securityContext"));
    assertEquals(restricted, onOpenShift.path("containers").get(0).path("securityContext"));

    JsonNode custom =
        pod(
            render(
                Map.of(
                    "openshift", "true",
                    "securityContext.runAsUser", "1000",
                    "podSecurityContext.supplementalGroups[0]", "5")));
    assertFalse(
        custom.path("containers").get(0).path("securityContext").has("runAsUser"),
        "openshift wins over a UID in the values");
    assertEquals(json("[5]"), custom.path("securityContext").path("supplementalGroups"));
  }

  @Test
  void podExtrasReachThePod() {
    List<ObjectNode> docs =
        render(
            Map.of(
                "podLabels.team", "platform",
                "podAnnotations.owner", "a",
                "defaultRoutePolicy", "deny",
                "extraEnv[0].name", "JAVA_OPTS",
                "extraEnv[0].value", "-Dx=1",
                "extraVolumes[0].name", "ca",
                "extraVolumes[0].configMap.name", "corporate-ca",
                "extraVolumeMounts[0].name", "ca",
                "extraVolumeMounts[0].mountPath", "/etc/ca"));
    JsonNode template =
        Kustomize.find(docs, "Deployment", "ofn-webhook").path("spec").path("template");
    assertEquals("platform", template.path("metadata").path("labels").path("team").asString());
    assertEquals(json("{\"owner\":\"a\"}"), template.path("metadata").path("annotations"));
    JsonNode pod = template.path("spec");
    assertEquals(
        json("{\"name\":\"ca\",\"configMap\":{\"name\":\"corporate-ca\"}}"),
        pod.path("volumes").get(1));
    JsonNode container = pod.path("containers").get(0);
    assertEquals(
        json("{\"name\":\"OFN_WEBHOOK_DEFAULT_ROUTE_POLICY\",\"value\":\"deny\"}"),
        container.path("env").get(2));
    assertEquals(
        json("{\"name\":\"JAVA_OPTS\",\"value\":\"-Dx=1\"}"), container.path("env").get(3));
    assertEquals(
        json("{\"name\":\"ca\",\"mountPath\":\"/etc/ca\"}"), container.path("volumeMounts").get(1));
  }

  private static JsonNode pod(List<ObjectNode> docs) {
    return Kustomize.find(docs, "Deployment", "ofn-webhook")
        .path("spec")
        .path("template")
        .path("spec");
  }

  @Test
  void webhookValuesReachEveryWebhook() {
    List<ObjectNode> docs =
        render(
            Map.of(
                "webhooks.vfunctions.failurePolicy", "Ignore",
                "webhooks.vhttproutes.timeoutSeconds", "12",
                "webhooks.optOutLabel", "ofn-webhook.dev/skip",
                "webhooks.objectSelector.matchLabels.team", "a"));
    Map<String, JsonNode> hooks = new TreeMap<>();
    for (String kind : List.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")) {
      Kustomize.find(docs, kind, "ofn-webhook")
          .path("webhooks")
          .forEach(h -> hooks.put(h.path("name").asString(), h));
    }
    assertEquals(6, hooks.size());
    assertEquals("Ignore", hooks.get("vfunctions.of.io").path("failurePolicy").asString());
    assertEquals("Fail", hooks.get("vgateway.of.io").path("failurePolicy").asString());
    assertEquals(12, hooks.get("vhttproutes.of.io").path("timeoutSeconds").asInt());
    assertEquals(5, hooks.get("vfunctions.of.io").path("timeoutSeconds").asInt());
    for (JsonNode hook : hooks.values()) {
      assertEquals(
          json(
              "{\"matchExpressions\":["
                  + "{\"key\":\"kubernetes.io/metadata.name\",\"operator\":\"NotIn\","
                  + "\"values\":[\"kube-system\",\"ofn-webhook-system\"]},"
                  + "{\"key\":\"ofn-webhook.dev/skip\",\"operator\":\"DoesNotExist\"}]}"),
          hook.path("namespaceSelector"),
          hook.path("name").asString());
      assertEquals(json("{\"matchLabels\":{\"team\":\"a\"}}"), hook.path("objectSelector"));
    }
  }

  @Test
  void hostNetworkListensOnTheChosenPort() {
    List<ObjectNode> docs = render(Map.of("hostNetwork", "true", "port", "10260"));
    JsonNode pod =
        Kustomize.find(docs, "Deployment", "ofn-webhook")
            .path("spec")
            .path("template")
            .path("spec");
    assertTrue(pod.path("hostNetwork").asBoolean());
    assertEquals("ClusterFirstWithHostNet", pod.path("dnsPolicy").asString());
    JsonNode container = pod.path("containers").get(0);
    assertEquals(json("[\"serve\",\"--port=10260\"]"), container.path("args"));
    assertEquals(10260, container.path("ports").get(0).path("containerPort").asInt());
    assertEquals(
        10260,
        Kustomize.find(docs, "NetworkPolicy", "ofn-webhook")
            .path("spec")
            .path("ingress")
            .get(0)
            .path("ports")
            .get(0)
            .path("port")
            .asInt());
  }

  @Test
  void optionalObjectsFollowTheirSwitches() {
    assertFalse(kinds(render(Map.of())).contains("ServiceMonitor"), "off by default");
    List<ObjectNode> docs =
        render(
            Map.of(
                "serviceMonitor.enabled", "true",
                "podDisruptionBudget.enabled", "false",
                "networkPolicy.enabled", "false"));
    Set<String> kinds = kinds(docs);
    assertTrue(kinds.contains("ServiceMonitor"), kinds::toString);
    assertFalse(kinds.contains("PodDisruptionBudget"), kinds::toString);
    assertFalse(kinds.contains("NetworkPolicy"), kinds::toString);
    assertEquals(
        "metrics",
        Kustomize.find(docs, "ServiceMonitor", "ofn-webhook")
            .path("spec")
            .path("endpoints")
            .get(0)
            .path("port")
            .asString());
  }

  @Test
  void schedulingAndImageValuesReachThePod() {
    List<ObjectNode> docs =
        render(
            Map.of(
                "image.repository", "registry.example/ofn",
                "image.tag", "9.9.9",
                "replicas", "3",
                "priorityClassName", "system-cluster-critical",
                "nodeSelector.pool", "infra",
                "tolerations[0].key", "infra",
                "tolerations[0].operator", "Exists"));
    ObjectNode deployment = Kustomize.find(docs, "Deployment", "ofn-webhook");
    JsonNode pod = deployment.path("spec").path("template").path("spec");
    assertEquals(3, deployment.path("spec").path("replicas").asInt());
    assertEquals(
        "registry.example/ofn:9.9.9", pod.path("containers").get(0).path("image").asString());
    assertEquals("system-cluster-critical", pod.path("priorityClassName").asString());
    assertEquals(json("{\"pool\":\"infra\"}"), pod.path("nodeSelector"));
    assertEquals(json("[{\"key\":\"infra\",\"operator\":\"Exists\"}]"), pod.path("tolerations"));
  }

  /** kustomize's objects (expected) and Helm's, one assertion per object. */
  static void assertSameObjects(List<ObjectNode> kustomize, List<ObjectNode> helm) {
    Map<String, JsonNode> expected = byId(kustomize);
    Map<String, JsonNode> actual = byId(helm);
    assertEquals(
        expected.keySet(), actual.keySet(), "objects (kubectl kustomize vs helm template)");
    expected.forEach((id, object) -> assertEquals(object, actual.get(id), id));
  }

  private Path overlayWith(String... components) throws IOException {
    Path dir = Files.createTempDirectory(overlay, "overlay");
    Path manifests = dir.toAbsolutePath().relativize(Kustomize.manifests());
    List<String> paths = new java.util.ArrayList<>();
    for (String component : components) {
      paths.add(manifests.resolve("components").resolve(component).toString());
    }
    Files.writeString(
        dir.resolve("kustomization.yaml"),
        "resources: [" + manifests + "]\ncomponents: [" + String.join(", ", paths) + "]\n");
    return dir;
  }

  /**
   * Objects by "kind namespace/name", without the Namespace object (Helm's is {@code
   * --create-namespace}) and Helm's own labels.
   */
  static Map<String, JsonNode> byId(List<ObjectNode> docs) {
    Map<String, JsonNode> objects = new TreeMap<>();
    for (ObjectNode doc : docs) {
      if ("Namespace".equals(doc.path("kind").asString())) {
        continue;
      }
      ObjectNode copy = doc.deepCopy();
      if (copy.path("metadata").path("labels") instanceof ObjectNode labels) {
        HELM_LABELS.forEach(labels::remove);
      }
      String id =
          doc.path("kind").asString()
              + " "
              + doc.path("metadata").path("namespace").asString("")
              + "/"
              + doc.path("metadata").path("name").asString();
      assertFalse(objects.containsKey(id), "rendered twice: " + id);
      objects.put(id, copy);
    }
    return objects;
  }

  static Set<String> roles(List<ObjectNode> docs) {
    return docs.stream()
        .filter(d -> d.path("kind").asString().endsWith("Role"))
        .map(d -> d.path("kind").asString() + " " + d.path("metadata").path("name").asString())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  static Set<String> kinds(List<ObjectNode> docs) {
    return docs.stream()
        .map(d -> d.path("kind").asString())
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
