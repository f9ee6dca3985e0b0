package dev.ofn.webhook.check;

import dev.ofn.webhook.admission.AdmissionRequest;
import dev.ofn.webhook.admission.AdmissionResponse;
import dev.ofn.webhook.admission.Endpoint;
import dev.ofn.webhook.admission.Patches;
import dev.ofn.webhook.admission.ReviewHandler;
import dev.ofn.webhook.admission.ValidatingReview;
import dev.ofn.webhook.admission.Webhooks;
import dev.ofn.webhook.check.Manifests.Document;
import dev.ofn.webhook.defaulting.GatewayDefaulter;
import dev.ofn.webhook.gateways.GatewayCatalog;
import dev.ofn.webhook.gateways.K8sGateway;
import dev.ofn.webhook.gateways.ListenerSet;
import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.gateways.OwnershipMode;
import dev.ofn.webhook.gateways.RoutePolicy;
import dev.ofn.webhook.gateways.StaticGatewayCatalog;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.model.Names;
import dev.ofn.webhook.routing.ConflictIndex;
import dev.ofn.webhook.routing.Owner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The offline edge: manifest objects sent through the admission core's own handlers, as the
 * apiserver would send them (namespace filled in, the mutating webhook's patch applied before the
 * validating webhooks run). OFN Gateways come from the input and the {@link Context} (a cluster or
 * {@code --gateway} files), else the built-in default; Namespace objects in the input give their
 * labels (e.g. the parity-only mode). An object that the context already stores is sent as an
 * UPDATE of it (so ratcheting applies as on the server), any other as a CREATE.
 */
public final class OfflineAdmission {
  /**
   * What the objects are checked against: OFN Gateways, {@code gatewayApi} (k8s Gateways,
   * GatewayClasses, ListenerSets: where routes attach and which gateways are policed), namespace
   * labels, and stored Functions, HTTPRoutes and GRPCRoutes (their routes pre-loaded in the
   * conflict index). {@code builtIn}: use the built-in default OFN Gateway when there is no other.
   */
  public record Context(
      List<JsonNode> ofnGateways,
      List<JsonNode> gatewayApi,
      Map<String, Map<String, String>> namespaceLabels,
      List<JsonNode> stored,
      boolean builtIn) {
    static Context none() {
      return new Context(List.of(), List.of(), Map.of(), List.of(), true);
    }

    /** The catalog the context alone makes (for an audit of the stored objects). */
    GatewayCatalog catalog() {
      List<OfnGateway> gateways = new ArrayList<>();
      ofnGateways.forEach(g -> gateways.add(OfnGateway.from(GatewayDefaulter.apply(g))));
      if (gateways.isEmpty() && builtIn) {
        gateways.addAll(StaticGatewayCatalog.builtIn().ofnGateways());
      }
      return withGatewayApi(StaticGatewayCatalog.builder(), gatewayApi)
          .ofnGateways(gateways)
          .namespaceLabels(namespaceLabels)
          .build();
    }
  }

  /**
   * One object's answers: the defaulted object and every line the webhooks would return; {@code
   * conflictOwners} from the validating answer's {@code ofn.io/conflict-with} audit annotation;
   * {@code duplicateOf} the earlier document with the same kind, namespace and name (this one is
   * then not checked); {@code update}: checked as an update of the stored object.
   */
  record Admitted(
      Document source,
      JsonNode object,
      List<String> warnings,
      List<String> errors,
      List<String> conflictOwners,
      Document duplicateOf,
      boolean update) {
    String file() {
      return source.file();
    }

    String describe() {
      return Json.stringOr(object, "?", "kind")
          + " "
          + Json.stringOr(object, "", "metadata", "namespace")
          + "/"
          + Json.stringOr(object, "", "metadata", "name");
    }

    Admitted with(
        JsonNode object, List<String> warnings, List<String> errors, List<String> owners) {
      return new Admitted(source, object, warnings, errors, owners, duplicateOf, update);
    }
  }

  private OfflineAdmission() {}

  static List<Admitted> admit(List<Document> documents, String namespace, boolean validate) {
    return admit(documents, namespace, validate, Context.none());
  }

  /**
   * Every document defaulted and, with {@code validate}, validated; earlier objects are older, so a
   * later one that takes their route is the one refused, as in a cluster.
   */
  static List<Admitted> admit(
      List<Document> documents, String namespace, boolean validate, Context context) {
    return admit(documents, namespace, validate, context, OwnershipMode.OFF, RoutePolicy.OFF);
  }

  /** {@code ownership}: the hostname ownership of gateways whose OFN Gateway does not say. */
  static List<Admitted> admit(
      List<Document> documents,
      String namespace,
      boolean validate,
      Context context,
      OwnershipMode ownership,
      RoutePolicy routePolicy) {
    List<ObjectNode> objects = new ArrayList<>();
    Map<String, Map<String, String>> namespaceLabels = new HashMap<>(context.namespaceLabels());
    Map<String, Map<String, String>> namespaceAnnotations = new HashMap<>();
    Map<String, Document> firstSeen = new HashMap<>();
    List<Document> duplicateOf = new ArrayList<>();
    for (Document document : documents) {
      ObjectNode object = ((ObjectNode) document.object()).deepCopy();
      if ("Namespace".equals(Json.stringOr(object, "", "kind"))) {
        namespaceLabels.put(
            Json.stringOr(object, "", "metadata", "name"), labels(object.path("metadata")));
        namespaceAnnotations.put(
            Json.stringOr(object, "", "metadata", "name"),
            strings(object.path("metadata").path("annotations")));
      } else if (Json.string(object, "metadata", "namespace").filter(s -> !s.isEmpty()).isEmpty()) {
        Json.objectAt(object, "metadata").put("namespace", namespace);
      }
      objects.add(object);
      String id = identity(object);
      duplicateOf.add(id == null ? null : firstSeen.get(id));
      if (id != null) {
        firstSeen.putIfAbsent(id, document);
      }
    }
    Map<String, JsonNode> stored = new HashMap<>();
    context.stored().forEach(s -> stored.put(identity(s), s));

    // Gateways first: Functions are defaulted from them, wherever they are in the input.
    Map<Integer, Admitted> answers = new HashMap<>();
    Webhooks gatewayCore =
        core(
            StaticGatewayCatalog.builder().namespaceLabels(namespaceLabels).build(),
            new ConflictIndex(),
            ownership,
            routePolicy);
    Map<NamespacedName, OfnGateway> gateways = new LinkedHashMap<>();
    context
        .ofnGateways()
        .forEach(
            g -> {
              OfnGateway gateway = OfnGateway.from(GatewayDefaulter.apply(g));
              gateways.put(gateway.id(), gateway);
            });
    // The API server refuses fields its CRD does not declare before any webhook runs.
    // (Stored objects, which have no file, were pruned by the API server: nothing to refuse.)
    List<List<String>> unknownFields = new ArrayList<>();
    for (int i = 0; i < objects.size(); i++) {
      boolean fromInput = !documents.get(i).file().isEmpty();
      unknownFields.add(
          validate && fromInput ? CrdSchemas.shipped().unknownFields(objects.get(i)) : List.of());
    }
    for (int i = 0; i < objects.size(); i++) {
      if (duplicateOf.get(i) == null
          && unknownFields.get(i).isEmpty()
          && Endpoint.forObject(objects.get(i)).contains(Endpoint.MUTATE_GATEWAY)) {
        JsonNode old = stored.get(identity(objects.get(i)));
        Admitted defaulted =
            mutate(
                gatewayCore,
                Endpoint.MUTATE_GATEWAY,
                fresh(documents.get(i), objects.get(i), old != null),
                old);
        answers.put(i, defaulted);
        // a Gateway the cluster would refuse never exists there: its Functions cannot use it
        if (!validate
            || validate(gatewayCore.handlers().get(Endpoint.VALIDATE_GATEWAY), defaulted, old)
                .errors()
                .isEmpty()) {
          OfnGateway gateway = OfnGateway.from(defaulted.object());
          gateways.put(gateway.id(), gateway);
        }
      }
    }
    if (gateways.isEmpty() && context.builtIn()) {
      StaticGatewayCatalog.builtIn().ofnGateways().forEach(g -> gateways.put(g.id(), g));
    }
    GatewayCatalog catalog =
        withGatewayApi(
                withGatewayApi(StaticGatewayCatalog.builder(), context.gatewayApi()),
                objects.stream().map(o -> (JsonNode) o).toList())
            .ofnGateways(gateways.values())
            .namespaceLabels(namespaceLabels)
            .namespaceAnnotations(namespaceAnnotations)
            .functions(context.stored().stream().filter(Names::isFunction).toList())
            .functions(objects.stream().filter(Names::isFunction).toList())
            .build();
    ConflictIndex index = new ConflictIndex();
    Webhooks core = core(catalog, index, ownership, routePolicy);
    for (JsonNode object : context.stored()) {
      if (Owner.routedKind(object).isPresent()) {
        try {
          index.put(core.conflicts().routeKeys().of(object));
        } catch (RuntimeException e) {
          // a stored object whose routes cannot be read claims none, as in the server's index
        }
      }
    }
    List<Admitted> out = new ArrayList<>();
    for (int i = 0; i < objects.size(); i++) {
      Document source = documents.get(i);
      JsonNode old = stored.get(identity(objects.get(i)));
      if (duplicateOf.get(i) != null) {
        out.add(
            new Admitted(
                source,
                objects.get(i),
                List.of(),
                List.of(),
                List.of(),
                duplicateOf.get(i),
                false));
        continue;
      }
      if (!unknownFields.get(i).isEmpty()) {
        out.add(
            fresh(source, objects.get(i), old != null)
                .with(objects.get(i), List.of(), unknownFields.get(i), List.of()));
        continue;
      }
      Admitted admitted = answers.getOrDefault(i, fresh(source, objects.get(i), old != null));
      for (Endpoint endpoint : Endpoint.forObject(objects.get(i))) {
        if (endpoint == Endpoint.MUTATE_GATEWAY) {
          continue; // done above
        }
        if (endpoint == Endpoint.MUTATE_FUNCTION) {
          admitted = mutate(core, endpoint, admitted, old);
        } else if (validate) {
          admitted = validate(core.handlers().get(endpoint), admitted, old);
        }
      }
      if (validate) {
        admitted = notChecked(admitted);
      }
      out.add(admitted);
    }
    return out;
  }

  private static Admitted fresh(Document source, JsonNode object, boolean update) {
    return new Admitted(source, object, List.of(), List.of(), List.of(), null, update);
  }

  /**
   * {@code group/Kind namespace/name}: the identity of an object (the version does not matter);
   * null without a name.
   */
  static String identity(JsonNode object) {
    String name = Json.stringOr(object, "", "metadata", "name");
    if (name.isEmpty()) {
      return null;
    }
    String apiVersion = Json.stringOr(object, "", "apiVersion");
    int slash = apiVersion.indexOf('/');
    return (slash < 0 ? "" : apiVersion.substring(0, slash))
        + "/"
        + Json.stringOr(object, "", "kind")
        + " "
        + Json.stringOr(object, "", "metadata", "namespace")
        + "/"
        + name;
  }

  private static Webhooks core(
      GatewayCatalog catalog,
      ConflictIndex index,
      OwnershipMode ownership,
      RoutePolicy routePolicy) {
    // storeAdmitted: no informer will ever show an admitted object, so the index keeps it
    return new Webhooks(catalog, index, new Webhooks.Settings(true, true, ownership, routePolicy));
  }

  private static Admitted mutate(
      Webhooks core, Endpoint endpoint, Admitted admitted, JsonNode old) {
    AdmissionResponse response =
        core.handlers().get(endpoint).review(request(admitted.object(), old));
    List<String> warnings = new ArrayList<>(admitted.warnings());
    warnings.addAll(response.warnings());
    return admitted.with(
        Patches.apply(admitted.object(), response.patch()),
        warnings,
        admitted.errors(),
        admitted.conflictOwners());
  }

  private static Admitted validate(ReviewHandler handler, Admitted admitted, JsonNode old) {
    AdmissionResponse response = handler.review(request(admitted.object(), old));
    List<String> warnings = new ArrayList<>(admitted.warnings());
    warnings.addAll(response.warnings());
    List<String> errors = new ArrayList<>(admitted.errors());
    List<String> owners = new ArrayList<>(admitted.conflictOwners());
    if (!response.allowed()) {
      errors.addAll(Arrays.asList(response.message().split("\n")));
      String audit = response.auditAnnotations().get(ValidatingReview.CONFLICT_AUDIT_KEY);
      if (audit != null) {
        owners.addAll(Arrays.asList(audit.split(", ")));
      }
    }
    return admitted.with(admitted.object(), warnings, errors, owners);
  }

  private static Admitted notChecked(Admitted admitted) {
    return Endpoint.notChecked(admitted.object())
        .map(
            note -> {
              List<String> warnings = new ArrayList<>(admitted.warnings());
              warnings.add(note);
              return admitted.with(
                  admitted.object(), warnings, admitted.errors(), admitted.conflictOwners());
            })
        .orElse(admitted);
  }

  /** The request the apiserver sends for a create of {@code object}. */
  public static AdmissionRequest create(JsonNode object) {
    return request(object, null);
  }

  /** A create, or with {@code old} an update of it. */
  static AdmissionRequest request(JsonNode object, JsonNode old) {
    String apiVersion = Json.stringOr(object, "", "apiVersion");
    int slash = apiVersion.indexOf('/');
    return new AdmissionRequest(
        "admission.k8s.io/v1",
        "offline",
        old == null ? "CREATE" : "UPDATE",
        Json.stringOr(object, "", "metadata", "namespace"),
        Json.stringOr(object, "", "metadata", "name"),
        slash < 0 ? "" : apiVersion.substring(0, slash),
        apiVersion.substring(slash + 1),
        Json.stringOr(object, "", "kind"),
        false,
        object,
        old,
        null);
  }

  /**
   * The k8s Gateways, GatewayClasses and ListenerSets among {@code objects}, added to {@code
   * catalog}; other objects are skipped.
   */
  static StaticGatewayCatalog.Builder withGatewayApi(
      StaticGatewayCatalog.Builder catalog, List<? extends JsonNode> objects) {
    List<K8sGateway> gateways = new ArrayList<>();
    Map<String, Map<String, String>> classes = new HashMap<>();
    List<ListenerSet> sets = new ArrayList<>();
    for (JsonNode object : objects) {
      if (Names.isK8sGateway(object)) {
        gateways.add(K8sGateway.from(object));
      } else if (Names.isGatewayClass(object)) {
        classes.put(
            Json.stringOr(object, "", "metadata", "name"),
            K8sGateway.strings(Json.at(object, "metadata", "annotations")));
      } else if (Names.isListenerSet(object)) {
        sets.add(ListenerSet.from(object));
      }
    }
    return catalog.k8sGateways(gateways).gatewayClasses(classes).listenerSets(sets);
  }

  static Map<String, String> labels(JsonNode metadata) {
    return strings(metadata.path("labels"));
  }

  private static Map<String, String> strings(JsonNode map) {
    Map<String, String> strings = new HashMap<>();
    map.properties().forEach(e -> strings.put(e.getKey(), e.getValue().asString("")));
    return strings;
  }
}
