package dev.ofn.webhook.manifests;

import static dev.ofn.webhook.manifests.WebhookManifestsTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.controller.ExportedMetrics;
import dev.ofn.webhook.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The opt-in monitoring kit of the chart: the PrometheusRule's alerts, the Grafana dashboard, the
 * ServiceMonitor's relabelings and the NetworkPolicy's scraper selector. Every metric an alert or a
 * panel queries is one this server exports (or the API server's own, named here), and every alert
 * links to a runbook section of docs/metrics.md that exists.
 */
class MonitoringKitTest {
  /** The API server's admission webhook metrics (Kubernetes' own, not ours). */
  static final Set<String> APISERVER =
      Set.of(
          "apiserver_admission_webhook_rejection_count",
          "apiserver_admission_webhook_fail_open_count",
          "apiserver_admission_webhook_admission_duration_seconds_bucket");

  static final Pattern METRIC = Pattern.compile("\\b([a-z_]+_[a-z_]+)(?=\\{|\\[|\\)|\\s|$)");
  static final Set<String> PROMQL =
      Set.of("histogram_quantile", "humanize", "on", "by", "le", "sum", "max", "min", "rate");

  static Set<String> exported;

  @BeforeAll
  static void exportedNames() throws IOException {
    exported = new TreeSet<>();
    for (String line : ExportedMetrics.scrape().split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        exported.add(line.split("[{ ]", 2)[0]);
      }
    }
    // Gauges the composition root (app/) registers: they need a cluster, a leader or certificates.
    try (var files = Files.list(Path.of("src/main/java/dev/ofn/webhook/app").toAbsolutePath())) {
      for (Path file : files.toList()) {
        Matcher gauge =
            Pattern.compile("\"(ofn_webhook_[a-z_]+)\"").matcher(Files.readString(file));
        while (gauge.find()) {
          exported.add(gauge.group(1));
        }
      }
    }
    assertTrue(exported.contains("ofn_webhook_shadowed_routes"), exported::toString);
  }

  /** Metric names in a PromQL expression (identifiers with an underscore, outside strings). */
  static Set<String> metrics(String expr) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(expr.replaceAll("\"[^\"]*\"", "\"\""));
    while (m.find()) {
      if (!PROMQL.contains(m.group(1)) && !m.group(1).startsWith("error_type")) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  static void assertExported(String where, String expr) {
    Set<String> names = metrics(expr);
    assertFalse(names.isEmpty(), where + ": no metric in " + expr);
    for (String name : names) {
      assertTrue(
          exported.contains(name) || APISERVER.contains(name),
          where + ": " + name + " is not exported (" + expr + ")");
    }
  }

  @Test
  void thePrometheusRuleAlertsOnWhatWeAndTheApiServerExportWithARunbookEach() throws IOException {
    assertFalse(ChartTest.kinds(ChartTest.render(Map.of())).contains("PrometheusRule"), "opt-in");
    ObjectNode rule =
        Kustomize.find(
            ChartTest.render(
                Map.of("prometheusRule.enabled", "true", "prometheusRule.labels.release", "kps")),
            "PrometheusRule",
            "ofn-webhook");
    assertEquals("kps", rule.path("metadata").path("labels").path("release").asString());
    String metricsDoc =
        Files.readString(Kustomize.manifests().resolveSibling("docs").resolve("metrics.md"));
    List<String> alerts = new ArrayList<>();
    boolean apiServer = false;
    for (JsonNode r : rule.path("spec").path("groups").get(0).path("rules")) {
      String alert = r.path("alert").asString();
      alerts.add(alert);
      String expr = r.path("expr").asString();
      assertExported(alert, expr);
      apiServer |= expr.contains("apiserver_admission_webhook_rejection_count");
      String runbook = r.path("annotations").path("runbook_url").asString();
      assertEquals(
          "https://github.com/ofn-webhook/ofn-webhook/blob/main/docs/metrics.md#"
              + alert.toLowerCase(java.util.Locale.ROOT),
          runbook);
      assertTrue(
          metricsDoc.contains("\n### " + alert + "\n"),
          alert + ": no runbook section \"### " + alert + "\" in docs/metrics.md");
      assertTrue(r.path("labels").has("severity"), alert);
    }
    assertTrue(apiServer, "an alert on the API server's webhook rejections");
    assertEquals(
        List.of(
            "OfnWebhookUnreachable",
            "OfnWebhookFailingOpen",
            "OfnWebhookErrors",
            "OfnWebhookSlow",
            "OfnWebhookCertificateExpiry",
            "OfnWebhookNoLeader",
            "OfnShadowedRoutes",
            "OfnReconcileErrors"),
        alerts);
  }

  @Test
  void theDashboardIsValidJsonInALabelledConfigMapAndQueriesOurMetrics() throws IOException {
    ObjectNode map =
        Kustomize.find(
            ChartTest.render(Map.of("grafanaDashboard.enabled", "true")),
            "ConfigMap",
            "ofn-webhook-dashboard");
    assertEquals("1", map.path("metadata").path("labels").path("grafana_dashboard").asString());
    String text = map.path("data").path("ofn-webhook.json").asString();
    assertEquals(
        Files.readString(ChartTest.CHART.resolve("dashboards").resolve("ofn-webhook.json")).strip(),
        text.strip(),
        "the chart's file, unchanged");
    JsonNode dashboard = Json.MAPPER.readTree(text);
    assertEquals("ofn-webhook", dashboard.path("uid").asString());
    Set<String> titles = new TreeSet<>();
    Set<Integer> ids = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      titles.add(panel.path("title").asString());
      assertTrue(ids.add(panel.path("id").asInt()), "panel ids are unique");
      assertEquals("${datasource}", panel.path("datasource").path("uid").asString());
      for (JsonNode target : panel.path("targets")) {
        assertExported(panel.path("title").asString(), target.path("expr").asString());
      }
    }
    for (String needed :
        List.of(
            "Reviews by webhook and outcome",
            "Denials",
            "Review latency (p50, p99)",
            "Route conflicts refused",
            "Shadowed routes",
            "Controller queue")) {
      assertTrue(titles.contains(needed), needed + " in " + titles);
    }
    assertEquals(
        "monitoring",
        Kustomize.find(
                ChartTest.render(
                    Map.of(
                        "grafanaDashboard.enabled",
                        "true",
                        "grafanaDashboard.namespace",
                        "monitoring")),
                "ConfigMap",
                "ofn-webhook-dashboard")
            .path("metadata")
            .path("namespace")
            .asString());
  }

  @Test
  void theExtractorFindsMetricNamesOnly() {
    assertEquals(
        Set.of("ofn_webhook_request_duration_seconds_bucket"),
        metrics(
            "histogram_quantile(0.99, sum by (le, endpoint) (rate(ofn_webhook_request_duration_seconds_bucket{x=\"a_b\"}[5m])))"));
    assertEquals(
        Set.of("ofn_webhook_leader", "ofn_webhook_leader_election_failing"),
        metrics("max(ofn_webhook_leader) == 0 or max(ofn_webhook_leader_election_failing) > 0"));
  }

  @Test
  void scrapersGetRelabelingsAndTheirNamespaceIsAValue() {
    List<ObjectNode> docs =
        ChartTest.render(
            Map.of(
                "serviceMonitor.enabled",
                "true",
                "serviceMonitor.metricRelabelings[0].action",
                "drop",
                "serviceMonitor.metricRelabelings[0].regex",
                "controller_runtime_.*|workqueue_.*",
                "serviceMonitor.metricRelabelings[0].sourceLabels[0]",
                "__name__",
                "serviceMonitor.relabelings[0].targetLabel",
                "team",
                "serviceMonitor.relabelings[0].replacement",
                "platform",
                "networkPolicy.monitoringNamespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name",
                "monitoring"));
    JsonNode endpoint =
        Kustomize.find(docs, "ServiceMonitor", "ofn-webhook").path("spec").path("endpoints").get(0);
    assertEquals(
        json(
            "[{\"action\":\"drop\",\"regex\":\"controller_runtime_.*|workqueue_.*\",\"sourceLabels\":[\"__name__\"]}]"),
        endpoint.path("metricRelabelings"));
    assertEquals(
        json("[{\"targetLabel\":\"team\",\"replacement\":\"platform\"}]"),
        endpoint.path("relabelings"));
    assertEquals(
        json(
            "[{\"namespaceSelector\":{\"matchLabels\":{\"ofn.io/monitoring\":\"true\","
                + "\"kubernetes.io/metadata.name\":\"monitoring\"}}}]"),
        Kustomize.find(docs, "NetworkPolicy", "ofn-webhook")
            .path("spec")
            .path("ingress")
            .get(1)
            .path("from"));
  }
}
