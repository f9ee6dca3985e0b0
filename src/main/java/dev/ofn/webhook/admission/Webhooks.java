package dev.ofn.webhook.admission;

import dev.ofn.webhook.defaulting.DefaultingResult;
import dev.ofn.webhook.defaulting.FunctionContext;
import dev.ofn.webhook.defaulting.FunctionDefaulter;
import dev.ofn.webhook.defaulting.GatewayDefaulter;
import dev.ofn.webhook.gateways.GatewayCatalog;
import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.gateways.OwnershipMode;
import dev.ofn.webhook.gateways.RoutePolicy;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.model.FunctionBackends;
import dev.ofn.webhook.model.FunctionRoute;
import dev.ofn.webhook.model.Names;
import dev.ofn.webhook.model.Warnings;
import dev.ofn.webhook.routing.ConflictCheck;
import dev.ofn.webhook.routing.ConflictChecker;
import dev.ofn.webhook.routing.ConflictIndex;
import dev.ofn.webhook.routing.Owner;
import dev.ofn.webhook.validation.Checks;
import dev.ofn.webhook.validation.FieldError;
import dev.ofn.webhook.validation.FunctionValidator;
import dev.ofn.webhook.validation.GatewayApiRules;
import dev.ofn.webhook.validation.GatewayValidator;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** The endpoint table: which pure core call answers which path. */
public final class Webhooks {
  /**
   * {@code storeAdmitted}: standalone, where no informer will ever show an admitted object, the
   * index keeps what this process admitted instead of reserving it for 30 s.
   */
  public record Settings(
      boolean persistGeneratedRoute,
      boolean storeAdmitted,
      OwnershipMode hostnameOwnership,
      RoutePolicy routePolicy) {
    /**
     * Hostname ownership {@code off} unless a gateway's annotation says otherwise; only the k8s
     * Gateways OFN Gateways use, or whose annotations opt in, are policed.
     */
    public Settings(boolean persistGeneratedRoute, boolean storeAdmitted) {
      this(persistGeneratedRoute, storeAdmitted, OwnershipMode.OFF, RoutePolicy.OFF);
    }
  }

  private final GatewayCatalog catalog;
  private final Settings settings;
  private final ConflictIndex index;
  private final ConflictChecker conflicts;

  public Webhooks(GatewayCatalog catalog, ConflictIndex index, Settings settings) {
    this.catalog = catalog;
    this.settings = settings;
    this.index = index;
    this.conflicts =
        new ConflictChecker(catalog, index, settings.hostnameOwnership(), settings.routePolicy());
  }

  public ConflictChecker conflicts() {
    return conflicts;
  }

  public Map<Endpoint, ReviewHandler> handlers() {
    Map<Endpoint, ReviewHandler> handlers = new EnumMap<>(Endpoint.class);
    handlers.put(
        Endpoint.MUTATE_FUNCTION,
        new MutatingReview(
            Endpoint.MUTATE_FUNCTION.webhookName,
            new MutatingReview.Defaulter() {
              @Override
              public MutatingReview.Mutated apply(AdmissionRequest request) {
                return defaultFunction(request);
              }

              @Override
              public boolean mayBlock(AdmissionRequest request) {
                return FunctionRoute.gatewayRef(request.object())
                    .map(catalog::mayFetch)
                    .orElse(false);
              }
            }));
    handlers.put(
        Endpoint.MUTATE_GATEWAY,
        new MutatingReview(
            Endpoint.MUTATE_GATEWAY.webhookName,
            request ->
                new MutatingReview.Mutated(GatewayDefaulter.apply(request.object()), List.of())));
    handlers.put(
        Endpoint.VALIDATE_GATEWAY,
        new ValidatingReview(
            Endpoint.VALIDATE_GATEWAY.webhookName,
            (request, object) ->
                new ValidatingReview.Findings(
                    GatewayValidator.validate(object, checks(request), catalog),
                    List.of(),
                    checks(request) == Checks.FULL ? GatewayValidator.warnings(object) : List.of(),
                    Set.of())));
    handlers.put(
        Endpoint.VALIDATE_FUNCTION,
        new ValidatingReview(
            Endpoint.VALIDATE_FUNCTION.webhookName, new RouteValidator(Owner.Kind.FUNCTION)));
    handlers.put(
        Endpoint.VALIDATE_HTTPROUTE,
        new ValidatingReview(
            Endpoint.VALIDATE_HTTPROUTE.webhookName, new RouteValidator(Owner.Kind.HTTP_ROUTE)));
    handlers.put(
        Endpoint.VALIDATE_GRPCROUTE,
        new ValidatingReview(
            Endpoint.VALIDATE_GRPCROUTE.webhookName, new RouteValidator(Owner.Kind.GRPC_ROUTE)));
    return handlers;
  }

  /**
   * Functions (field checks + conflicts) and raw HTTPRoutes and GRPCRoutes (conflicts only).
   * Conflicts become warnings in parity-only namespaces; an admitted, non-dry-run object reserves
   * its keys until the informer (or, standalone, nothing else) stores it.
   */
  private final class RouteValidator implements ValidatingReview.Validator {
    private final Owner.Kind kind;
    private final boolean function;

    RouteValidator(Owner.Kind kind) {
      this.kind = kind;
      this.function = kind == Owner.Kind.FUNCTION;
    }

    @Override
    public ValidatingReview.Findings validate(AdmissionRequest request, JsonNode object) {
      Checks checks = checks(request);
      List<FieldError> fieldErrors =
          function ? FunctionValidator.validate(object, checks) : List.of();
      FieldError wrongKind = wrongKind(object, kind);
      if (wrongKind != null) {
        // no route keys without the kind; the apiserver never sends such an object, damaged input
        // does
        List<FieldError> errors = new ArrayList<>(fieldErrors);
        errors.add(wrongKind);
        return ValidatingReview.Findings.of(errors);
      }
      JsonNode old =
          request.isUpdate()
                  && object != request.oldObject()
                  && wrongKind(request.oldObject(), kind) == null
              ? request.oldObject()
              : null;
      ConflictCheck check = conflicts.check(object, old);
      // computed once: the keys of the object are what admitting it records
      Runnable onAdmit = () -> admit(request, check);
      if (checks == Checks.PARITY) {
        return new ValidatingReview.Findings(
            fieldErrors, List.of(), check.errorsAsWarnings(), Set.of(), onAdmit);
      }
      LinkedHashSet<String> owners = new LinkedHashSet<>();
      check.conflictsWith().forEach(owner -> owners.add(owner.toString()));
      List<String> warnings = new ArrayList<>(check.warnings());
      if (function) {
        warnings.addAll(backendWarnings(object));
      }
      return new ValidatingReview.Findings(fieldErrors, check.errors(), warnings, owners, onAdmit);
    }

    private void admit(AdmissionRequest request, ConflictCheck check) {
      if (request.dryRun()) {
        return;
      }
      if (settings.storeAdmitted()) {
        index.put(check.keys());
      } else {
        index.reserve(check.keys());
      }
    }
  }

  /**
   * Traffic split: a warning (not a denial: it may be created next) for each Function a rule sends
   * to that the cluster does not have, or that has no http trigger; its weight is not routed then.
   * And one for a rule whose weights are all 0: valid Gateway API, yet it routes nothing.
   */
  private List<String> backendWarnings(JsonNode function) {
    List<String> warnings = new ArrayList<>();
    String self = Json.stringOr(function, "", "metadata", "name");
    String namespace = Json.stringOr(function, "default", "metadata", "namespace");
    JsonNode rules = FunctionRoute.route(function).path(FunctionRoute.RULES);
    for (int i = 0; rules.isArray() && i < rules.size(); i++) {
      List<FunctionBackends.Ref> split = FunctionBackends.of(rules.get(i));
      if (!split.isEmpty() && split.stream().allMatch(ref -> ref.weight() == 0)) {
        warnings.add(
            Warnings.clip(
                "rules["
                    + i
                    + "].backendRefs: every weight is 0, so no request this rule matches reaches"
                    + " a Function"));
      }
      JsonNode refs = rules.get(i).path("backendRefs");
      for (int j = 0; refs.isArray() && j < refs.size(); j++) {
        JsonNode ref = refs.get(j);
        String name = Json.stringOr(ref, "", "name");
        if (!FunctionBackends.namesFunction(ref)
            || name.isEmpty()
            || GatewayApiRules.objectNameProblem(name).isPresent() // refused by validation
            || name.equals(self)
            || !namespace.equals(Json.stringOr(ref, namespace, "namespace"))) {
          continue;
        }
        NamespacedName id = new NamespacedName(namespace, name);
        Optional<JsonNode> found = catalog.function(id);
        String at = "rules[" + i + "].backendRefs[" + j + "]: Function " + id;
        if (found.isEmpty()) {
          warnings.add(
              Warnings.clip(at + " does not exist yet; its weight is not routed until it does"));
        } else if (FunctionRoute.gatewayRef(found.get()).isEmpty()) {
          warnings.add(Warnings.clip(at + " has no http trigger; its weight is not routed"));
        }
      }
    }
    return warnings;
  }

  /**
   * An error when {@code object} is not of the endpoint's kind (the conflict check needs it to be).
   */
  private static FieldError wrongKind(JsonNode object, Owner.Kind expected) {
    String kind = expected.toString();
    String group =
        (expected == Owner.Kind.FUNCTION ? Names.FUNCTION_GROUP : Names.GATEWAY_API_GROUP) + "/";
    if (!kind.equals(Json.stringOr(object, "", "kind"))) {
      return FieldError.invalid("kind", Json.at(object, "kind"), "must be " + kind);
    }
    if (!Json.stringOr(object, "", "apiVersion").startsWith(group)) {
      return FieldError.invalid(
          "apiVersion", Json.at(object, "apiVersion"), "must be " + group + "<version>");
    }
    return null;
  }

  private MutatingReview.Mutated defaultFunction(AdmissionRequest request) {
    JsonNode function = request.object();
    // fetchOfnGateway reads the cache; only on a cache miss (then we run on a worker) does it ask
    // the cluster
    Optional<OfnGateway> gateway =
        FunctionRoute.gatewayRef(function).flatMap(catalog::fetchOfnGateway);
    // parity-only namespaces get OpenFunction's defaults only: no route written into the spec
    boolean persist = settings.persistGeneratedRoute() && checks(request) == Checks.FULL;
    DefaultingResult result =
        FunctionDefaulter.apply(
            function,
            new FunctionContext(request.objectNamespace(), request.oldObject(), gateway, persist));
    return new MutatingReview.Mutated(result.object(), result.warnings());
  }

  private Checks checks(AdmissionRequest request) {
    String mode = catalog.namespaceLabels(request.objectNamespace()).get(Names.MODE_LABEL);
    return Names.PARITY_ONLY.equals(mode) ? Checks.PARITY : Checks.FULL;
  }

  /** Route keys in the conflict index (a metric). */
  public long indexedKeys() {
    return index.keyCount();
  }
}
