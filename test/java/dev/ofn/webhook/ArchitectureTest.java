package dev.ofn.webhook;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/design.md, checked on the compiled classes: the core is pure (JSON
 * trees in, trees or field errors out), packages do not import each other in a circle, informers
 * live in one package.
 */
class ArchitectureTest {
  /** Decisions: no Vert.x, no Kubernetes client, no files, no network. */
  static final String[] CORE = {
    "dev.ofn.webhook.model..",
    "dev.ofn.webhook.admission..",
    "dev.ofn.webhook.defaulting..",
    "dev.ofn.webhook.validation..",
    "dev.ofn.webhook.routing..",
    "dev.ofn.webhook.gateways..",
    "dev.ofn.webhook.json.."
  };

  static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.ofn.webhook");
  }

  @Test
  void theCoreImportsNoVertxNoKubernetesClientAndNoFiles() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAnyPackage(CORE)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "io.vertx..",
                "io.netty..",
                "io.fabric8.kubernetes.client..",
                "java.nio.file..",
                "java.net..",
                "dev.ofn.webhook.server..",
                "dev.ofn.webhook.cluster..",
                "dev.ofn.webhook.controller..",
                "dev.ofn.webhook.cli..",
                "dev.ofn.webhook.app..",
                "dev.ofn.webhook.tls..")
            .orShould()
            .dependOnClassesThat()
            .haveFullyQualifiedName("java.io.File");
    rule.check(main);
  }

  @Test
  void noTwoPackagesImportEachOther() {
    slices().matching("dev.ofn.webhook.(*)..").should().beFreeOfCycles().check(main);
  }

  /**
   * The same rule on the sources: javac inlines constants ({@code static final} strings and
   * numbers), so a package using only another's constants has no dependency in the class files and
   * a cycle through it is invisible to the rule above.
   */
  @Test
  void noTwoPackagesImportEachOtherInTheSourcesEither() throws Exception {
    Map<String, Set<String>> uses = SourceDependencies.ofPackages(Path.of("src/main/java"));
    assertEquals(List.of(), SourceDependencies.cycles(uses));
  }

  @Test
  void informersLiveInTheClusterAndControllerPackagesOnly() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "dev.ofn.webhook.cluster..", "dev.ofn.webhook.controller..", "dev.ofn.webhook.tls..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.fabric8.kubernetes.client.informers..")
        .check(main);
  }

  /**
   * The offline check ({@code webhook check} and {@code default}) is the admission core behind a
   * file reader: it knows nothing of the server, the controller or the command shells that call it.
   */
  @Test
  void theOfflineCheckStandsOnTheCoreAlone() {
    noClasses()
        .that()
        .resideInAPackage("dev.ofn.webhook.check..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.vertx..",
            "dev.ofn.webhook.cli..",
            "dev.ofn.webhook.app..",
            "dev.ofn.webhook.server..",
            "dev.ofn.webhook.controller..",
            "dev.ofn.webhook.tls..")
        .check(main);
  }

  /** The server's wiring is what {@code webhook serve} starts: only the command shells use it. */
  @Test
  void onlyTheCommandShellsUseTheServersWiring() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.ofn.webhook.cli..", "dev.ofn.webhook.app..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.ofn.webhook.app..")
        .check(main);
  }

  @Test
  void vertxStaysAtTheEdges() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "dev.ofn.webhook.server..",
            "dev.ofn.webhook.cli..",
            "dev.ofn.webhook.app..",
            "dev.ofn.webhook.tls..",
            "dev.ofn.webhook.cluster..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.vertx..")
        .check(main);
  }
}
