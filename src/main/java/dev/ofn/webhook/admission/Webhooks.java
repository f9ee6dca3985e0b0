package dev.ofn.webhook.admission;

import dev.ofn.webhook.defaulting.DefaultingResult;
import dev.ofn.webhook.defaulting.FunctionContext;
import dev.ofn.webhook.defaulting.FunctionDefaulter;
import dev.ofn.webhook.defaulting.GatewayDefaulter;
import dev.ofn.webhook.gateways.GatewayCatalog;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.validation.Checks;
import dev.ofn.webhook.validation.FunctionValidator;
import dev.ofn.webhook.validation.GatewayValidator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** The endpoint table: which pure core call answers which path. */
public final class Webhooks {
  /** Namespaces with this label value get only OpenFunction's own behaviour (SPEC §1 escape hatch). */
  public static final String PARITY_LABEL = "ofn.io/webhook";

  public record Settings(boolean persistGeneratedRoute) {}

  private final GatewayCatalog catalog;
  private final Settings settings;

  public Webhooks(GatewayCatalog catalog, Settings settings) {
    this.catalog = catalog;
    this.settings = settings;
  }

  public Map<Endpoint, ReviewHandler> handlers() {
    Map<Endpoint, ReviewHandler> handlers = new EnumMap<>(Endpoint.class);
    handlers.put(Endpoint.MUTATE_FUNCTION, new MutatingReview(Endpoint.MUTATE_FUNCTION.webhookName, this::defaultFunction));
    handlers.put(Endpoint.MUTATE_GATEWAY, new MutatingReview(Endpoint.MUTATE_GATEWAY.webhookName,
        request -> new MutatingReview.Mutated(GatewayDefaulter.apply(request.object()), List.of())));
    handlers.put(Endpoint.VALIDATE_GATEWAY, new ValidatingReview(Endpoint.VALIDATE_GATEWAY.webhookName,
        (request, object) -> ValidatingReview.Verdict.of(GatewayValidator.validate(object, checks(request), catalog))));
    handlers.put(Endpoint.VALIDATE_FUNCTION, new ValidatingReview(Endpoint.VALIDATE_FUNCTION.webhookName,
        (request, object) -> ValidatingReview.Verdict.of(FunctionValidator.validate(object, checks(request)))));
    handlers.put(Endpoint.VALIDATE_HTTPROUTE, new ValidatingReview(Endpoint.VALIDATE_HTTPROUTE.webhookName,
        (request, object) -> ValidatingReview.Verdict.of(List.of())));
    return handlers;
  }

  private MutatingReview.Mutated defaultFunction(AdmissionRequest request) {
    JsonNode function = request.object();
    Optional<OfnGateway> gateway = FunctionDefaulter.gatewayRef(function).flatMap(catalog::ofnGateway);
    DefaultingResult result = FunctionDefaulter.apply(function, new FunctionContext(
        request.objectNamespace(), request.oldObject(), gateway, settings.persistGeneratedRoute()));
    return new MutatingReview.Mutated(result.object(), result.warnings());
  }

  private Checks checks(AdmissionRequest request) {
    String mode = catalog.namespaceLabels(request.objectNamespace()).get(PARITY_LABEL);
    return "parity-only".equals(mode) ? Checks.PARITY : Checks.FULL;
  }

  /** Route keys in the conflict index (a metric). */
  public long indexedKeys() {
    return 0;
  }
}
