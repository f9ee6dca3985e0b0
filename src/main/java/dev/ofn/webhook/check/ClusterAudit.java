package dev.ofn.webhook.check;

import dev.ofn.webhook.admission.Endpoint;
import dev.ofn.webhook.check.CheckReport.Severity;
import dev.ofn.webhook.check.CheckReport.Subject;
import dev.ofn.webhook.check.Manifests.Document;
import dev.ofn.webhook.gateways.GatewayCatalog;
import dev.ofn.webhook.gateways.RoutePolicy;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.routing.OwnedKeys;
import dev.ofn.webhook.routing.Owner;
import dev.ofn.webhook.routing.Precedence;
import dev.ofn.webhook.routing.RouteAudit;
import dev.ofn.webhook.routing.RouteKeys;
import dev.ofn.webhook.routing.RoutePolicies;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * {@code webhook check --cluster} without files: what is stored already. Every route key claimed by
 * two owners (the winner in Gateway API order and each shadowed object, from {@link RouteAudit}),
 * and every stored object our validation would refuse if it were created today.
 */
final class ClusterAudit {
  private ClusterAudit() {}

  /** The report, and the number of shadowed route keys and refused objects for the summary. */
  record Result(CheckReport report, int shadowedKeys, int shadowedObjects, int refused) {}

  /**
   * {@code allGateways}: every route on every k8s Gateway, whatever its route policy (read only:
   * the audit a user runs before opting in); otherwise the policed gateways only, as the server.
   */
  static Result audit(OfflineAdmission.Context cluster, String namespace, boolean allGateways) {
    CheckReport report = new CheckReport();
    List<JsonNode> stored = new ArrayList<>(cluster.stored());
    // Functions before HTTPRoutes: a Function's own HTTPRoute is reported through the Function
    stored.sort(Comparator.comparing(o -> Owner.routedKind(o).map(Enum::ordinal).orElse(-1)));
    Map<Owner, JsonNode> byOwner = new HashMap<>();
    for (JsonNode object : stored) {
      if (Owner.routedKind(object).isPresent()) {
        byOwner.putIfAbsent(Owner.of(object), object);
      }
    }

    // Validation of each stored object as a create of it today, alone (conflicts come below).
    OfflineAdmission.Context alone =
        new OfflineAdmission.Context(
            cluster.ofnGateways(),
            cluster.gatewayApi(),
            cluster.namespaceLabels(),
            List.of(),
            cluster.builtIn());
    int refused = 0;
    for (JsonNode object : stored) {
      OfflineAdmission.Admitted admitted =
          OfflineAdmission.admit(List.of(new Document("", object)), namespace, true, alone).get(0);
      if (!admitted.errors().isEmpty()) {
        refused++;
        // adds the object to the report's subjects
        report.object(
            admitted.with(
                admitted.object(), List.of(), admitted.errors(), admitted.conflictOwners()),
            Map.of());
      } else if (!Endpoint.forObject(object).isEmpty()) {
        report.subjects.add(Subject.of("", 0, object));
      }
    }

    GatewayCatalog catalog = cluster.catalog();
    RouteKeys routeKeys =
        new RouteKeys(
            allGateways
                ? RoutePolicies.everyGateway(catalog)
                : new RoutePolicies(catalog, RoutePolicy.OFF));
    List<OwnedKeys> keys = new ArrayList<>();
    for (JsonNode object : stored) {
      if (Owner.routedKind(object).isPresent()) {
        try {
          keys.add(routeKeys.of(object));
        } catch (RuntimeException e) {
          // an object whose routes cannot be read claims none (its validation says why)
        }
      }
    }
    Map<Owner, JsonNode> dated = new HashMap<>(byOwner);
    for (JsonNode object : stored) {
      if (Owner.routedKind(object).orElse(null) == Owner.Kind.HTTP_ROUTE
          && Owner.attributed(object).kind() == Owner.Kind.FUNCTION) {
        dated.put(Owner.attributed(object), object);
      }
    }
    List<RouteAudit.Shadowed> shadowed =
        RouteAudit.shadowed(keys, owner -> age(dated.get(owner), owner));
    for (RouteAudit.Shadowed s : shadowed) {
      JsonNode object = byOwner.get(s.object());
      Subject subject =
          object == null
              ? new Subject(
                  "",
                  0,
                  "",
                  s.object().kind().toString(),
                  s.object().name().namespace(),
                  s.object().name().name())
              : Subject.of("", 0, object);
      report.findings.add(
          new CheckReport.Finding(
              Severity.ERROR,
              CheckReport.SHADOWED,
              "",
              0,
              subject,
              s.path(),
              s.describe(),
              s.winner().toString(),
              null,
              0,
              subject.describe() + ": " + s.path() + ": " + s.describe()));
    }
    return new Result(
        report,
        RouteAudit.shadowedRoutes(shadowed),
        RouteAudit.shadowedOwners(shadowed).size(),
        refused);
  }

  /**
   * The controller's notion of an owner's age: an HTTPRoute's creationTimestamp; a Function's
   * HTTPRoute's, or the Function's own while it has none ({@code dated}).
   */
  static Optional<Precedence> age(JsonNode dated, Owner owner) {
    if (dated == null) {
      return Optional.empty();
    }
    Instant created;
    try {
      created = Instant.parse(Json.stringOr(dated, "", "metadata", "creationTimestamp"));
    } catch (DateTimeParseException e) {
      created = Instant.MAX;
    }
    return Optional.of(new Precedence(created, owner.name().toString()));
  }
}
