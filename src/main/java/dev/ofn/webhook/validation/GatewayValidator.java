package dev.ofn.webhook.validation;

import dev.ofn.webhook.gateways.GatewayCatalog;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.gateways.OwnershipMode;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.model.FunctionRoute;
import dev.ofn.webhook.model.GeneratedHosts;
import dev.ofn.webhook.model.Names;
import dev.ofn.webhook.model.Templates;
import dev.ofn.webhook.model.Templates.Template;
import dev.ofn.webhook.model.Templates.TemplateException;
import dev.ofn.webhook.model.Warnings;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Validation of an OFN Gateway ({@code networking.openfunction.io/v1alpha1}): OpenFunction's checks
 * with its messages (docs/behaviour.md §3), all collected rather than first-only, and under {@link
 * Checks#FULL} ours: templates that render to something an HTTPRoute accepts, a DNS domain, unique
 * listeners, one OFN Gateway per namespace.
 */
public final class GatewayValidator {
  static final String HOST_UNSUPPORTED =
      "invalid host template, please make sure that only the "
          + "{{Name}}, {{Namespace}}, {{Domain}} are included in the template";
  static final String PATH_UNSUPPORTED =
      "invalid path template, please make sure that only the "
          + "{{Name}} and {{Namespace}} are included in the template";

  /** The sample function the beyond checks render templates for. */
  static final String SAMPLE_NAME = "a-function";

  static final String SAMPLE_NAMESPACE = "a-namespace";

  /**
   * Stands in for a missing or invalid domain, so that its error is reported once, on {@code
   * domain}.
   */
  static final String STAND_IN_DOMAIN = "example.com";

  private GatewayValidator() {}

  /** The hostname-ownership annotation, when present, names a mode (docs/ownership.md). */
  private static void ownershipAnnotation(Errors errors, JsonNode gateway) {
    JsonNode value =
        Json.at(gateway, "metadata", "annotations", Names.HOSTNAME_OWNERSHIP_ANNOTATION);
    if (value.isMissingNode()) {
      return;
    }
    String text = value.isString() ? value.stringValue() : value.toString();
    if (!value.isString() || OwnershipMode.parse(text).isEmpty()) {
      errors.add(
          FieldError.unsupported(
              "metadata.annotations[" + Names.HOSTNAME_OWNERSHIP_ANNOTATION + "]",
              text,
              List.of(OwnershipMode.OFF.text(), OwnershipMode.NAMESPACE.text())));
    }
  }

  public static List<FieldError> validate(JsonNode gateway, Checks checks, GatewayCatalog catalog) {
    Errors errors = new Errors();
    At root = At.root(gateway);
    if (root.present() && !root.node().isObject()) {
      errors.wrongType(root, "object");
      return errors.toList();
    }
    At spec = root.get("spec");
    if (spec.present() && !errors.object(spec)) {
      return errors.toList();
    }
    At domainAt = spec.get("domain");
    Optional<String> domain = errors.string(domainAt);
    if (!domainAt.present() || domain.filter(String::isEmpty).isPresent()) {
      errors.add(FieldError.required("spec.domain", "must specify domain"));
    }
    Optional<Template> host =
        template(
            errors,
            spec.get("hostTemplate"),
            Names.HOST_FIELDS,
            "invalid template",
            HOST_UNSUPPORTED);
    Optional<Template> path =
        template(
            errors,
            spec.get("pathTemplate"),
            Names.PATH_FIELDS,
            "invalid path template",
            PATH_UNSUPPORTED);
    gatewayRefOrDef(errors, spec);
    if (checks.beyond()) {
      ownershipAnnotation(errors, gateway);
    }
    List<At> listeners = listeners(errors, spec);
    if (checks.beyond()) {
      String renderDomain =
          domain.filter(d -> GatewayApiRules.dnsNameProblem(d).isEmpty()).orElse(STAND_IN_DOMAIN);
      domain
          .filter(d -> !d.isEmpty())
          .ifPresent(d -> errors.addAll(GatewayApiRules.dnsName("spec.domain", d)));
      errors
          .string(spec.get("clusterDomain"))
          .ifPresent(d -> errors.addAll(GatewayApiRules.dnsName("spec.clusterDomain", d)));
      host.ifPresent(t -> renderedHost(errors, t, renderDomain));
      path.ifPresent(t -> renderedPath(errors, t));
      ListenerChecks.check(
          errors,
          listeners,
          domain.orElse(""),
          Json.stringOr(spec.node(), OfnGateway.DEFAULT_CLUSTER_DOMAIN, "clusterDomain"));
      onePerNamespace(errors, root, catalog);
    }
    return errors.toList();
  }

  /**
   * Warnings for an admissible OFN Gateway: a host template that can render one hostname for two
   * namespaces ({@code {{.Name}}-{{.Namespace}}}: {@code a-b} in {@code c} and {@code a} in {@code
   * b-c}), whose hostnames then belong to each of them (docs/ownership.md).
   */
  public static List<String> warnings(JsonNode gateway) {
    OfnGateway read = OfnGateway.from(gateway);
    String domain =
        GatewayApiRules.dnsNameProblem(read.domain()).isEmpty() ? read.domain() : STAND_IN_DOMAIN;
    return GeneratedHosts.collision(read.hostTemplate(), domain)
        .map(c -> List.of(Warnings.clip("spec.hostTemplate cannot tell namespaces apart: " + c)))
        .orElse(List.of());
  }

  /**
   * The template at {@code at}, parsed; absent means the CRD default (validation may see an object
   * our mutating webhook did not default, as it fails open), which is valid.
   */
  private static Optional<Template> template(
      Errors errors, At at, Set<String> fields, String parseError, String unsupported) {
    if (!at.present()) {
      return parse(defaultTemplate(fields), fields);
    }
    Optional<String> source = errors.string(at);
    if (source.isEmpty()) {
      return Optional.empty();
    }
    if (source.get().isEmpty() && fields.contains("Domain")) {
      // OpenFunction renders an empty host template as the default one, and so does our renderer
      return parse(defaultTemplate(fields), fields);
    }
    try {
      return Optional.of(Templates.parse(source.get(), fields));
    } catch (TemplateException e) {
      // the template's own text is the value, also for pathTemplate (OpenFunction shows
      // hostTemplate)
      errors.add(
          FieldError.invalid(at.path(), source.get(), e.isParseError() ? parseError : unsupported));
      return Optional.empty();
    }
  }

  private static String defaultTemplate(Set<String> fields) {
    return fields.contains("Domain")
        ? OfnGateway.DEFAULT_HOST_TEMPLATE
        : OfnGateway.DEFAULT_PATH_TEMPLATE;
  }

  private static Optional<Template> parse(String source, Set<String> fields) {
    try {
      return Optional.of(Templates.parse(source, fields));
    } catch (TemplateException e) {
      return Optional.empty();
    }
  }

  private static void gatewayRefOrDef(Errors errors, At spec) {
    At ref = spec.get("gatewayRef");
    At def = spec.get("gatewayDef");
    if (!ref.present() && !def.present()) {
      errors.add(
          FieldError.required(
              "spec.gatewayRef", "must specify at least one of gatewayRef and gatewayDef"));
    } else if (ref.present() && def.present()) {
      errors.add(
          FieldError.invalid(
              "spec.gatewayRef", ref.node(), "specify at most one of gatewayRef and gatewayDef"));
    }
    errors.object(ref);
    errors.object(def);
  }

  /**
   * The listener items. OpenFunction counts them after its defaulting appended the internal one; we
   * count the listeners besides {@code ofn-http-internal}, which reads the same on a defaulted
   * object and right on an un-defaulted one.
   */
  private static List<At> listeners(Errors errors, At spec) {
    At gatewaySpec = spec.get("gatewaySpec");
    At list = gatewaySpec.get("listeners");
    if (gatewaySpec.present() && !errors.object(gatewaySpec)
        || list.present() && !list.node().isArray()) {
      errors.array(list);
      return List.of(); // the type error says it all; "at least one listener" would only repeat it
    }
    List<At> items = errors.array(list);
    boolean besidesInternal = false;
    for (At item : items) {
      if (errors.object(item)) {
        String name = errors.string(item.get("name")).orElse("");
        besidesInternal |= !name.equals(OfnGateway.INTERNAL_LISTENER);
      }
    }
    if (!besidesInternal) {
      errors.add(
          FieldError.required("spec.gatewaySpec.listeners", "must specify at least one listener"));
    }
    return items;
  }

  private static void renderedHost(Errors errors, Template template, String domain) {
    String host =
        FunctionRoute.renderHost(template.source(), SAMPLE_NAME, SAMPLE_NAMESPACE, domain)
            .orElseThrow();
    GatewayApiRules.hostnameProblem(host)
        .ifPresent(
            problem ->
                errors.add(
                    FieldError.invalid(
                        "spec.hostTemplate",
                        template.source(),
                        "renders "
                            + FieldError.quote(host)
                            + " for function "
                            + SAMPLE_NAMESPACE
                            + "/"
                            + SAMPLE_NAME
                            + ", which is not a valid hostname: "
                            + problem)));
  }

  private static void renderedPath(Errors errors, Template template) {
    // the path a Function gets, from the same renderer the defaulter and the controller use
    String path =
        FunctionRoute.renderPath(template.source(), SAMPLE_NAME, SAMPLE_NAMESPACE).orElseThrow();
    List<String> problems = GatewayApiRules.pathProblems("PathPrefix", path);
    if (!problems.isEmpty()) {
      errors.add(
          FieldError.invalid(
              "spec.pathTemplate",
              template.source(),
              "renders the path "
                  + FieldError.quote(path)
                  + " for function "
                  + SAMPLE_NAMESPACE
                  + "/"
                  + SAMPLE_NAME
                  + ", which is not a valid path: "
                  + String.join("; ", problems)));
    }
  }

  /** Two OFN Gateways in one namespace would both claim its {@code gateway} Service. */
  private static void onePerNamespace(Errors errors, At root, GatewayCatalog catalog) {
    if (catalog == null) {
      return;
    }
    String namespace = Json.stringOr(root.node(), "default", "metadata", "namespace");
    String name = Json.stringOr(root.node(), "", "metadata", "name");
    Collection<OfnGateway> known = catalog.ofnGateways();
    if (known == null) {
      return;
    }
    known.stream()
        .filter(
            g ->
                g != null
                    && g.id() != null
                    && namespace.equals(g.id().namespace())
                    && !name.equals(g.id().name()))
        .map(g -> g.id().name())
        .min(Comparator.naturalOrder())
        .ifPresent(
            other ->
                errors.add(
                    FieldError.forbidden("spec", "namespace already has OFN Gateway " + other)));
  }
}
