package dev.ofn.webhook.controller;

import dev.ofn.webhook.controller.FunctionStatus.Reason;
import dev.ofn.webhook.controller.FunctionStatus.RouteReadiness;
import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.model.FunctionBackends;
import dev.ofn.webhook.model.FunctionRoute;
import dev.ofn.webhook.model.Names;
import dev.ofn.webhook.routing.Backend;
import dev.ofn.webhook.routing.HttpRoutes;
import dev.ofn.webhook.routing.RouteDerivation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a Function's route should be, decided from inputs gathered beforehand: the verdict for
 * {@code RouteReady}, the HTTPRoute and Service to apply, the {@code rendered-from} touch. Pure
 * (records in, record out): {@link FunctionReconciler} gathers, this decides, {@link Owned#apply}
 * writes.
 */
final class FunctionRouteDecision {
  static final String RUNNING = "Running";

  /**
   * On our HTTPRoute: {@code function=service,...}, what each Function's share is sent to, so that
   * a Function whose new revision is not ready yet keeps its current one.
   */
  static final String BACKENDS_ANNOTATION = "networking.openfunction.io/backends";

  private FunctionRouteDecision() {}

  /**
   * Everything the decision reads, for a Function that has an http trigger. {@code routeApiVersion}
   * is null when the cluster serves no HTTPRoutes; {@code lostConflict} says why an older route
   * holds one of the Function's keys; {@code hostnameNotOwned} says which namespace owns one of its
   * hostnames; {@code functions}: the other Functions its rules send to (traffic split; absent: not
   * found); {@code knativeServices} holds the Knative Services those Functions' statuses name
   * (absent: not found); {@code knativeServiceNames} every Knative Service of the namespace (a
   * revision whose Service is gone is gone); {@code knativeServed} whether the cluster serves them
   * at all.
   */
  record Inputs(
      JsonNode function,
      Optional<NamespacedName> gatewayId,
      Optional<OfnGateway> gateway,
      String routeApiVersion,
      Optional<JsonNode> existingRoute,
      Optional<JsonNode> existingService,
      Optional<String> lostConflict,
      Optional<String> hostnameNotOwned,
      Map<String, JsonNode> functions,
      Map<NamespacedName, JsonNode> knativeServices,
      Set<String> knativeServiceNames,
      boolean knativeServed) {}

  /** Whether the Function lost a conflict: LOST and CLEAR update the reconciler's set. */
  enum Conflict {
    LOST,
    CLEAR,
    UNCHECKED
  }

  /**
   * The outcome. {@code route}: the stamped HTTPRoute to apply, null to leave the stored one as it
   * is; {@code keptRoute}: our stored HTTPRoute (the one the status reports when nothing is
   * applied), null when there is none of ours; {@code service}: the stamped Service to apply, null
   * when none is to be written; {@code clusterDomain}: for the status addresses (null without a
   * gateway).
   */
  record Decision(
      RouteReadiness verdict,
      ObjectNode route,
      JsonNode keptRoute,
      ObjectNode service,
      Optional<String> renderedFrom,
      Conflict conflict,
      String clusterDomain) {}

  /** The backend, or why there is none. */
  record BackendChoice(Backend backend, String why) {}

  static Decision decide(Inputs in) {
    JsonNode function = in.function();
    if (in.gateway().isEmpty()) {
      // Not an error to retry: the Gateway's arrival enqueues its Functions again.
      String why =
          in.gatewayId()
              .map(g -> "OFN Gateway " + g + " not found")
              .orElse("the route's gatewayRef lacks a name or namespace");
      return new Decision(
          new RouteReadiness(Reason.GatewayNotFound, why),
          null,
          null,
          null,
          Optional.empty(),
          Conflict.UNCHECKED,
          null);
    }
    OfnGateway gateway = in.gateway().get();
    NamespacedName id = idOf(function);
    RouteDerivation.Derived derived = RouteDerivation.derive(function, gateway).orElseThrow();
    Optional<JsonNode> existing = in.existingRoute();
    boolean ours =
        existing.isPresent() && Owned.isOurs(existing.get(), Names.FUNCTION_KIND, id.name());
    JsonNode kept = ours ? existing.get() : null;
    ObjectNode route = null;
    Conflict conflict = Conflict.UNCHECKED;
    RouteReadiness verdict;
    if (in.routeApiVersion() == null) {
      verdict =
          new RouteReadiness(
              Reason.GatewayNotFound, "the cluster serves no Gateway API HTTPRoutes");
    } else if (!derived.ok()) {
      verdict = new RouteReadiness(Reason.GatewayTemplateInvalid, derived.problem());
    } else if (existing.isPresent() && !ours) {
      verdict = new RouteReadiness(Reason.HTTPRouteNameTaken, notOurs("HTTPRoute", id));
    } else if (in.lostConflict().isPresent()) {
      conflict = Conflict.LOST;
      verdict = new RouteReadiness(Reason.RouteConflict, in.lostConflict().get());
    } else if (in.hostnameNotOwned().isPresent()) {
      // like a conflict: another namespace's route may go, so re-checked on route changes
      conflict = Conflict.LOST;
      verdict = new RouteReadiness(Reason.HostnameNotOwned, in.hostnameNotOwned().get());
    } else {
      conflict = Conflict.CLEAR;
      Map<String, Backend> routed = routed(kept, id.name());
      Map<String, HttpRoutes.Target> targets = new LinkedHashMap<>();
      List<String> whys = new ArrayList<>();
      for (String name : backendFunctions(derived.rules(), id.name())) {
        BackendChoice choice = resolve(in, name, routed);
        if (choice.backend() == null) {
          whys.add(choice.why());
        } else {
          JsonNode backendFunction = name.equals(id.name()) ? function : in.functions().get(name);
          targets.put(name, HttpRoutes.target(backendFunction, choice.backend(), gateway));
        }
      }
      if (targets.isEmpty() && kept == null) {
        verdict = new RouteReadiness(Reason.BackendNotReady, whys.get(0));
      } else {
        ObjectNode desired = HttpRoutes.httpRoute(function, gateway, targets, in.routeApiVersion());
        Json.objectAt(desired, "metadata", "annotations")
            .put(BACKENDS_ANNOTATION, backendsAnnotation(targets));
        route = Owned.stamp(desired);
        String split = split(derived.rules(), targets);
        if (targets.isEmpty()) {
          // what our route sent to is gone: it sends nowhere rather than to a gone revision
          verdict = new RouteReadiness(Reason.BackendNotReady, whys.get(0));
        } else if (!whys.isEmpty()) {
          verdict =
              new RouteReadiness(
                  Reason.SplitBackendNotReady,
                  String.join("; ", whys) + "; the ready backends take its weight: " + split);
        } else {
          verdict =
              new RouteReadiness(
                  Reason.Accepted,
                  "HTTPRoute "
                      + id
                      + " routes the Function"
                      + (split.isEmpty() ? "" : ": " + split));
        }
      }
    }
    ObjectNode service = Owned.stamp(ExternalNameServices.forFunction(function, gateway));
    if (in.existingService().isPresent() && !Owned.isOurs(in.existingService().get(), service)) {
      service = null;
      if (verdict.ready()) {
        verdict = new RouteReadiness(Reason.ServiceNameTaken, notOurs("Service", id));
      }
    }
    return new Decision(
        verdict,
        route,
        kept,
        service,
        RenderedFrom.wanted(function, gateway),
        conflict,
        gateway.clusterDomain());
  }

  /**
   * The Functions the rules send to, in order: the Function itself first when a rule names no
   * Function, then every named one.
   */
  static Set<String> backendFunctions(JsonNode rules, String self) {
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode rule : rules) {
      if (FunctionBackends.of(rule).isEmpty()) {
        names.add(self);
      }
    }
    for (JsonNode rule : rules) {
      FunctionBackends.of(rule).forEach(ref -> names.add(ref.name()));
    }
    return names;
  }

  /**
   * A Function's backend, or why it has none: its live one (ready now); else, while the Function
   * still has an http trigger, the one our route sends to as long as that revision is not gone (its
   * Knative Service still exists), so that a revision switch waits for the new revision.
   */
  static BackendChoice resolve(Inputs in, String name, Map<String, Backend> routed) {
    NamespacedName self = idOf(in.function());
    boolean own = name.equals(self.name());
    JsonNode function = own ? in.function() : in.functions().get(name);
    String which = "Function " + self.namespace() + "/" + name;
    String why;
    if (function == null) {
      return new BackendChoice(null, which + " not found");
    } else if (!FunctionRoute.hasRoute(function)) {
      return new BackendChoice(null, which + " has no http trigger");
    } else {
      BackendChoice live = live(in, function);
      if (live.backend() != null) {
        return live;
      }
      why = own ? live.why() : which + ": " + live.why().replace("the Function's", "its");
    }
    Backend kept = routed.get(name);
    return kept != null && alive(in, kept)
        ? new BackendChoice(kept, null)
        : new BackendChoice(null, why);
  }

  /** A Function's backend as its serving is now, or why it has none. */
  private static BackendChoice live(Inputs in, JsonNode function) {
    String namespace = idOf(function).namespace();
    if (!RUNNING.equals(Json.stringOr(function, "", "status", "serving", "state"))) {
      return new BackendChoice(null, "the Function's serving is not running");
    }
    if ("keda"
        .equalsIgnoreCase(
            Json.stringOr(function, "", "spec", "serving", "triggers", "http", "engine"))) {
      return new BackendChoice(Backend.keda(), null);
    }
    String ksvc = Json.stringOr(function, "", "status", "serving", "service");
    JsonNode service = in.knativeServices().get(new NamespacedName(namespace, ksvc));
    String revision =
        service == null ? "" : Json.stringOr(service, "", "status", "latestReadyRevisionName");
    String why;
    if (!revision.isEmpty()) {
      return new BackendChoice(Backend.knative(revision), null);
    } else if (ksvc.isEmpty()) {
      why = "the Function's status names no Knative Service yet";
    } else if (!in.knativeServed()) {
      why = "the cluster serves no Knative Services (serving.knative.dev/v1)";
    } else if (service == null) {
      why = "Knative Service " + namespace + "/" + ksvc + " not found";
    } else {
      why = "Knative Service " + namespace + "/" + ksvc + " has no ready revision";
    }
    return new BackendChoice(null, why);
  }

  /**
   * A Knative revision is gone when no Knative Service of the namespace owns it (Knative names a
   * revision {@code <service>-<n>}); unknown (kept) when the cluster serves no Knative Services.
   */
  private static boolean alive(Inputs in, Backend backend) {
    if (backend.engine() == Backend.Engine.KEDA || !in.knativeServed()) {
      return true;
    }
    return in.knativeServiceNames().stream()
        .anyMatch(service -> backend.revision().startsWith(service + "-"));
  }

  /**
   * What our stored route sends each Function to: its {@value #BACKENDS_ANNOTATION} annotation; for
   * a route written before it, the first backend, which was the Function's own.
   */
  static Map<String, Backend> routed(JsonNode kept, String self) {
    Map<String, Backend> routed = new HashMap<>();
    if (kept == null) {
      return routed;
    }
    Optional<String> annotation = Json.string(kept, "metadata", "annotations", BACKENDS_ANNOTATION);
    if (annotation.isEmpty()) {
      String first =
          Json.stringOr(
              Json.at(kept, "spec", "rules").path(0).path("backendRefs").path(0), "", "name");
      if (!first.isEmpty()) {
        routed.put(self, backendOf(first));
      }
      return routed;
    }
    for (String pair : annotation.get().split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && eq < pair.length() - 1) {
        routed.put(pair.substring(0, eq), backendOf(pair.substring(eq + 1)));
      }
    }
    return routed;
  }

  private static String backendsAnnotation(Map<String, HttpRoutes.Target> targets) {
    List<String> pairs = new ArrayList<>();
    targets.forEach((name, target) -> pairs.add(name + "=" + target.backend().serviceName()));
    return String.join(",", pairs);
  }

  /**
   * The split as routed, for the status: {@code fn-v1 90 (fn-v1-00001), fn-v2 10 (...)} for each
   * rule that names Functions (prefixed {@code rules[i]:} when several do); empty when none does.
   */
  static String split(JsonNode rules, Map<String, HttpRoutes.Target> targets) {
    Map<Integer, String> described = new LinkedHashMap<>();
    for (int i = 0; i < rules.size(); i++) {
      List<FunctionBackends.Ref> refs = FunctionBackends.of(rules.get(i));
      if (refs.isEmpty()) {
        continue;
      }
      List<String> parts = new ArrayList<>();
      for (FunctionBackends.Ref ref : refs) {
        HttpRoutes.Target target = targets.get(ref.name());
        if (target != null) {
          parts.add(ref.name() + " " + ref.weight() + " (" + target.backend().serviceName() + ")");
        }
      }
      described.put(i, parts.isEmpty() ? "nothing" : String.join(", ", parts));
    }
    if (described.size() == 1) {
      return described.values().iterator().next();
    }
    List<String> prefixed = new ArrayList<>();
    described.forEach((i, rule) -> prefixed.add("rules[" + i + "]: " + rule));
    return String.join("; ", prefixed);
  }

  /** The Knative Service a Function's status names, if any. */
  static Optional<NamespacedName> knativeServiceOf(JsonNode function) {
    String ksvc = Json.stringOr(function, "", "status", "serving", "service");
    return ksvc.isEmpty()
        ? Optional.empty()
        : Optional.of(new NamespacedName(idOf(function).namespace(), ksvc));
  }

  private static Backend backendOf(String serviceName) {
    return Backend.KEDA_INTERCEPTOR.equals(serviceName)
        ? Backend.keda()
        : Backend.knative(serviceName);
  }

  private static String notOurs(String kind, NamespacedName id) {
    return kind
        + " "
        + id
        + " exists and is not ours (it lacks the "
        + HttpRoutes.CREATED_BY_LABEL
        + ": "
        + HttpRoutes.CREATED_BY
        + " label or has another controller)";
  }

  static NamespacedName idOf(JsonNode object) {
    return new NamespacedName(
        Json.stringOr(object, "default", "metadata", "namespace"),
        Json.stringOr(object, "", "metadata", "name"));
  }
}
