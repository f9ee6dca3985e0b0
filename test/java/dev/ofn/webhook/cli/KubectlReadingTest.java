package dev.ofn.webhook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check} and {@code default} read a manifest as kubectl would send it (YAML 1.1: aliases,
 * merge keys, {@code ~}, hex ports); the reader itself is compared with kubectl in {@code
 * check/KubectlYamlTest}.
 */
class KubectlReadingTest {
  static final String ALIASED =
      """
      apiVersion: core.openfunction.io/v1beta2
      kind: Function
      metadata:
        name: shop
        labels: &l {app: shop}
        annotations: *l
      spec:
        version: ~
        image: example/shop:latest
        serving:
          triggers:
            http:
              port: 0x1F90
      """;

  @Test
  void defaultPrintsAliasesNullsAndHexPortsAsKubectlReadsThem(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("shop.yaml"), ALIASED);
    MainTest.Run run = MainTest.run(Map.of(), "default", "-f", file.toString());
    assertEquals(0, run.code(), run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals(
        List.of(
            "  annotations:",
            "    app: shop",
            "    networking.openfunction.io/generated-route: \"hostnames,rules\""),
        lines.subList(lines.indexOf("  annotations:"), lines.indexOf("  annotations:") + 3));
    assertEquals(List.of("  version: latest"), grep(lines, "  version:"));
    assertEquals(List.of("        port: 8080"), grep(lines, "        port:"));
  }

  /** The second Function merges the first's trigger in: the same route, refused as a conflict. */
  @Test
  void checkSeesAConflictMadeByAMergeKey(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("list.yaml"),
            """
            apiVersion: v1
            kind: List
            items:
              - apiVersion: core.openfunction.io/v1beta2
                kind: Function
                metadata: {name: first}
                spec:
                  version: v1
                  image: example/first:latest
                  serving:
                    triggers:
                      http: &http
                        port: +8080
                        route:
                          hostnames: [first.default.ofn.io]
                          rules: [{matches: [{path: {type: PathPrefix, value: /api}}]}]
              - apiVersion: core.openfunction.io/v1beta2
                kind: Function
                metadata: {name: second}
                spec:
                  version: v1
                  image: example/second:latest
                  serving:
                    triggers:
                      http:
                        <<: *http
                        port: 8_080
            """);
    MainTest.Run run = MainTest.run(Map.of(), "check", "-f", file.toString());
    assertEquals(1, run.code(), run.out());
    assertEquals(
        List.of(
            file
                + ": Function default/second: spec.serving.triggers.http.route.rules[0].matches[0]:"
                + " Forbidden: \"first.default.ofn.io PathPrefix /api\" on gateway"
                + " projectcontour/contour:80 is already routed by Function default/first"),
        run.out().lines().toList());
  }

  static List<String> grep(List<String> lines, String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).toList();
  }
}
