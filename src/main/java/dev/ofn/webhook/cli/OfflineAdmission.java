package dev.ofn.webhook.cli;

import dev.ofn.webhook.admission.AdmissionRequest;
import dev.ofn.webhook.admission.AdmissionResponse;
import dev.ofn.webhook.admission.Endpoint;
import dev.ofn.webhook.admission.Patches;
import dev.ofn.webhook.admission.ReviewHandler;
import dev.ofn.webhook.admission.Webhooks;
import dev.ofn.webhook.cli.Manifests.Document;
import dev.ofn.webhook.gateways.GatewayCatalog;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.gateways.StaticGatewayCatalog;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.model.Names;
import dev.ofn.webhook.routing.ConflictIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The offline edge: manifest objects sent through the admission core's own handlers, as the
 * apiserver would send them (CREATE, namespace filled in, the mutating webhook's patch applied
 * before the validating webhooks run). OFN Gateways come from the input, else the built-in default;
 * Namespace objects in the input give their labels (e.g. the parity-only mode).
 */
final class OfflineAdmission {
  /** One object's answers: the defaulted object and every line the webhooks would return. */
  record Admitted(String file, JsonNode object, List<String> warnings, List<String> errors) {
    String describe() {
      return Json.stringOr(object, "?", "kind")
          + " "
          + Json.stringOr(object, "", "metadata", "namespace")
          + "/"
          + Json.stringOr(object, "", "metadata", "name");
    }
  }

  private OfflineAdmission() {}

  /**
   * Every document defaulted and, with {@code validate}, validated; earlier objects are older, so a
   * later one that takes their route is the one refused, as in a cluster.
   */
  static List<Admitted> admit(List<Document> documents, String namespace, boolean validate) {
    List<ObjectNode> objects = new ArrayList<>();
    Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
    for (Document document : documents) {
      ObjectNode object = ((ObjectNode) document.object()).deepCopy();
      if ("Namespace".equals(Json.stringOr(object, "", "kind"))) {
        namespaceLabels.put(
            Json.stringOr(object, "", "metadata", "name"), labels(object.path("metadata")));
      } else if (Json.string(object, "metadata", "namespace").filter(s -> !s.isEmpty()).isEmpty()) {
        Json.objectAt(object, "metadata").put("namespace", namespace);
      }
      objects.add(object);
    }
    // Gateways first: Functions are defaulted from them, wherever they are in the input.
    Map<Integer, Admitted> answers = new HashMap<>();
    Webhooks gatewayCore = core(new StaticGatewayCatalog(List.of(), namespaceLabels));
    List<OfnGateway> gateways = new ArrayList<>();
    for (int i = 0; i < objects.size(); i++) {
      if (Endpoint.forObject(objects.get(i)).contains(Endpoint.MUTATE_GATEWAY)) {
        Admitted defaulted =
            mutate(gatewayCore, Endpoint.MUTATE_GATEWAY, documents.get(i).file(), objects.get(i));
        answers.put(i, defaulted);
        gateways.add(OfnGateway.from(defaulted.object()));
      }
    }
    GatewayCatalog catalog =
        new StaticGatewayCatalog(
                gateways.isEmpty() ? StaticGatewayCatalog.builtIn().ofnGateways() : gateways,
                namespaceLabels)
            .withFunctions(objects.stream().filter(Names::isFunction).toList());
    Webhooks core = core(catalog);
    List<Admitted> out = new ArrayList<>();
    for (int i = 0; i < objects.size(); i++) {
      String file = documents.get(i).file();
      Admitted admitted =
          answers.getOrDefault(i, new Admitted(file, objects.get(i), List.of(), List.of()));
      for (Endpoint endpoint : Endpoint.forObject(objects.get(i))) {
        if (endpoint == Endpoint.MUTATE_GATEWAY) {
          continue; // done above
        }
        if (endpoint == Endpoint.MUTATE_FUNCTION) {
          admitted = mutate(core, endpoint, file, admitted.object());
        } else if (validate) {
          admitted = validate(core.handlers().get(endpoint), admitted);
        }
      }
      if (validate) {
        admitted = notChecked(admitted);
      }
      out.add(admitted);
    }
    return out;
  }

  private static Webhooks core(GatewayCatalog catalog) {
    // storeAdmitted: no informer will ever show an admitted object, so the index keeps it
    return new Webhooks(catalog, new ConflictIndex(), new Webhooks.Settings(true, true));
  }

  private static Admitted mutate(Webhooks core, Endpoint endpoint, String file, JsonNode object) {
    AdmissionResponse response = core.handlers().get(endpoint).review(create(object));
    return new Admitted(
        file, Patches.apply(object, response.patch()), response.warnings(), List.of());
  }

  private static Admitted validate(ReviewHandler handler, Admitted admitted) {
    AdmissionResponse response = handler.review(create(admitted.object()));
    List<String> warnings = new ArrayList<>(admitted.warnings());
    warnings.addAll(response.warnings());
    List<String> errors = new ArrayList<>(admitted.errors());
    if (!response.allowed()) {
      errors.addAll(Arrays.asList(response.message().split("\n")));
    }
    return new Admitted(admitted.file(), admitted.object(), warnings, errors);
  }

  private static Admitted notChecked(Admitted admitted) {
    return Endpoint.notChecked(admitted.object())
        .map(
            note -> {
              List<String> warnings = new ArrayList<>(admitted.warnings());
              warnings.add(note);
              return new Admitted(admitted.file(), admitted.object(), warnings, admitted.errors());
            })
        .orElse(admitted);
  }

  /** The request the apiserver sends for a create of {@code object}. */
  static AdmissionRequest create(JsonNode object) {
    String apiVersion = Json.stringOr(object, "", "apiVersion");
    int slash = apiVersion.indexOf('/');
    return new AdmissionRequest(
        "admission.k8s.io/v1",
        "offline",
        "CREATE",
        Json.stringOr(object, "", "metadata", "namespace"),
        Json.stringOr(object, "", "metadata", "name"),
        slash < 0 ? "" : apiVersion.substring(0, slash),
        apiVersion.substring(slash + 1),
        Json.stringOr(object, "", "kind"),
        false,
        object,
        null);
  }

  private static Map<String, String> labels(JsonNode metadata) {
    Map<String, String> labels = new HashMap<>();
    metadata
        .path("labels")
        .properties()
        .forEach(e -> labels.put(e.getKey(), e.getValue().asString("")));
    return labels;
  }
}
