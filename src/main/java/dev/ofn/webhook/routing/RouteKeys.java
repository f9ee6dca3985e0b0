package dev.ofn.webhook.routing;

import dev.ofn.webhook.gateways.GatewayCatalog;
import dev.ofn.webhook.gateways.K8sGateway;
import dev.ofn.webhook.gateways.Listener;
import dev.ofn.webhook.gateways.ListenerSet;
import dev.ofn.webhook.gateways.NamespacedName;
import dev.ofn.webhook.gateways.OfnGateway;
import dev.ofn.webhook.gateways.RoutePolicy;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.model.FunctionRoute;
import dev.ofn.webhook.model.Names;
import dev.ofn.webhook.model.Templates;
import dev.ofn.webhook.model.Warnings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * Computes route keys (docs/behaviour.md §7) for Functions (from their derived route, internal host
 * included), HTTPRoutes of any served version and GRPCRoutes (from their spec). Only parents that
 * are policed k8s Gateways ({@link RoutePolicies}: used by an OFN Gateway, or opted in), or
 * ListenerSets attached to one, yield keys; every other parent yields no key and no warning.
 */
public final class RouteKeys {
  private final GatewayCatalog catalog;
  private final RoutePolicies policies;

  /** Polices the k8s Gateways OFN Gateways use and those whose annotations opt in. */
  public RouteKeys(GatewayCatalog catalog) {
    this(new RoutePolicies(catalog, RoutePolicy.OFF));
  }

  public RouteKeys(RoutePolicies policies) {
    this.catalog = policies.catalog();
    this.policies = policies;
  }

  public RoutePolicies policies() {
    return policies;
  }

  /**
   * The keys of a Function, HTTPRoute or GRPCRoute tree; throws IllegalArgumentException for other
   * kinds.
   */
  public OwnedKeys of(JsonNode object) {
    return switch (Owner.kindOf(object)) {
      case FUNCTION -> function(object);
      case HTTP_ROUTE -> route(object, locations(rules(object), "spec.rules"));
      case GRPC_ROUTE -> route(object, grpcLocations(rules(object), "spec.rules"));
    };
  }

  private static JsonNode rules(JsonNode route) {
    JsonNode rules = Json.at(route, "spec", "rules");
    return rules.isArray() ? rules : null;
  }

  private OwnedKeys function(JsonNode function) {
    Owner self = Owner.of(function);
    Optional<OfnGateway> gateway =
        FunctionRoute.hasRoute(function)
            ? FunctionRoute.gatewayRef(function).flatMap(catalog::ofnGateway)
            : Optional.empty();
    if (gateway.isEmpty()) {
      // No keys until the Gateway appears (docs/behaviour.md §7); defaulting already warns that it
      // is missing.
      return OwnedKeys.none(self, self);
    }
    RouteDerivation.Derived route = RouteDerivation.derive(function, gateway.get()).orElseThrow();
    if (!route.ok()) {
      return OwnedKeys.none(self, self); // no route can be written, so it claims nothing
    }
    return new Collector(
            self,
            self,
            Owner.namespaceOf(function),
            gateway.get(),
            exempt(function, gateway.get(), route.external()))
        .collect(
            route.hostnames(),
            Names.ROUTE_PATH + ".hostnames",
            route.parentRefs(),
            locations(route.rules(), Names.ROUTE_PATH + ".rules"),
            Names.ROUTE_PATH + ".rules",
            ClaimAge.createdOf(function));
  }

  /**
   * The Function's hostnames that are its namespace's by construction: the internal host, and the
   * hosts rendered from a host template that has the namespace in it.
   */
  private static Set<String> exempt(
      JsonNode function, OfnGateway gateway, FunctionRoute.Hostnames hostnames) {
    Set<String> exempt = new HashSet<>();
    exempt.add(
        RouteDerivation.internalHost(
            Json.stringOr(function, "", "metadata", "name"), Owner.namespaceOf(function), gateway));
    if (hostnames.generated() && namespaced(gateway.hostTemplate())) {
      exempt.addAll(hostnames.names());
    }
    return exempt;
  }

  /**
   * The hostnames an HTTPRoute controlled by a Function has by construction: the ones the Function
   * has on any OFN Gateway (so the route written for it is judged as the Function was).
   */
  private Set<String> controlledExempt(Owner function) {
    Set<String> exempt = new HashSet<>();
    String name = function.name().name();
    String namespace = function.name().namespace();
    for (OfnGateway gateway : catalog.ofnGateways()) {
      exempt.add(RouteDerivation.internalHost(name, namespace, gateway));
      if (namespaced(gateway.hostTemplate())) {
        FunctionRoute.renderHost(gateway.hostTemplate(), name, namespace, gateway.domain())
            .ifPresent(exempt::add);
      }
    }
    return exempt;
  }

  /** True when the host template renders the namespace into every hostname. */
  static boolean namespaced(String hostTemplate) {
    try {
      return Templates.parse(FunctionRoute.effectiveHostTemplate(hostTemplate), Names.HOST_FIELDS)
          .fields()
          .contains("Namespace");
    } catch (Templates.TemplateException e) {
      return false;
    }
  }

  private OwnedKeys route(JsonNode route, Map<String, Match> locations) {
    List<String> hostnames = new ArrayList<>();
    JsonNode hosts = Json.at(route, "spec", "hostnames");
    for (JsonNode host : hosts.isArray() ? hosts : MissingNode.getInstance()) {
      hostnames.add(
          host.isString() ? host.stringValue() : null); // null: invalid, yet not "no hostnames"
    }
    Owner owner = Owner.attributed(route);
    return new Collector(
            Owner.of(route),
            owner,
            Owner.namespaceOf(route),
            null,
            owner.kind() == Owner.Kind.FUNCTION ? controlledExempt(owner) : Set.of())
        .collect(
            hostnames,
            "spec.hostnames",
            Json.at(route, "spec", "parentRefs"),
            locations,
            "spec.rules",
            ClaimAge.createdOf(route));
  }

  /** One computation's state: listeners resolved once per gateway, warnings deduplicated. */
  private final class Collector {
    private final Owner object;
    private final Owner owner;
    private final String namespace;
    private final OfnGateway known;
    private final Set<String> exempt;
    // the route kind listeners' allowedRoutes judge: a Function's route is an HTTPRoute
    private final String kind;
    private final Map<HostClaim.HostKey, HostClaim> claims = new LinkedHashMap<>();
    private final Map<NamespacedName, Optional<List<Listener>>> listeners = new HashMap<>();
    private final Map<String, Set<String>> matchedHosts = new LinkedHashMap<>();
    private final Set<String> warnings = new LinkedHashSet<>();
    private final Map<String, Integer> hostRank = new HashMap<>();
    private Map<String, String> namespaceLabels;

    Collector(Owner object, Owner owner, String namespace, OfnGateway known, Set<String> exempt) {
      this.object = object;
      this.owner = owner;
      this.namespace = namespace;
      this.known = known;
      this.exempt = exempt;
      this.kind = object.kind().grpc() ? Names.GRPCROUTE_KIND : Names.HTTPROUTE_KIND;
    }

    /** {@code locations}: each match's field path and normalised match. */
    OwnedKeys collect(
        List<String> hostnames,
        String hostnamesPath,
        JsonNode parentRefs,
        Map<String, Match> locations,
        String rulesPath,
        Instant created) {
      Map<String, Set<RouteKey>> keys = new LinkedHashMap<>();
      locations.keySet().forEach(path -> keys.put(path, new LinkedHashSet<>()));
      List<String> valid = new ArrayList<>();
      List<String> validPaths = new ArrayList<>();
      for (int i = 0; i < hostnames.size(); i++) {
        if (Hostnames.valid(hostnames.get(i))) {
          valid.add(hostnames.get(i));
          // interned: the index keeps one copy of each field path, not one per object
          validPaths.add((hostnamesPath + "[" + i + "]").intern());
        }
      }
      int j = 0;
      for (JsonNode ref : parentRefs.isArray() ? parentRefs : MissingNode.getInstance()) {
        String refPath = (parentRefsPath(rulesPath) + "[" + j++ + "]").intern();
        parent(ref, hostnames.isEmpty(), refPath, valid, validPaths, locations, keys);
      }
      matchedHosts.forEach(
          (parent, matched) ->
              valid.stream()
                  .filter(h -> !matched.contains(h))
                  .forEach(h -> warn("hostname " + h + " matches no listener of " + parent)));
      List<LocatedKey> located = new ArrayList<>();
      // Within a field, keys follow the route's hostname order (listener order otherwise), so
      // messages do.
      Comparator<RouteKey> byHost =
          Comparator.comparing(k -> hostRank.getOrDefault(k.hostname(), 0));
      keys.forEach(
          (path, set) ->
              set.stream().sorted(byHost).forEach(key -> located.add(new LocatedKey(path, key))));
      return new OwnedKeys(
          object,
          owner,
          List.copyOf(located),
          List.copyOf(warnings),
          List.copyOf(claims.values()),
          created);
    }

    private void parent(
        JsonNode ref,
        boolean hostless,
        String refPath,
        List<String> hosts,
        List<String> hostPaths,
        Map<String, Match> locations,
        Map<String, Set<RouteKey>> keys) {
      String refKind = Json.string(ref, "kind").orElse(Names.GATEWAY_KIND);
      if (!Names.GATEWAY_API_GROUP.equals(Json.string(ref, "group").orElse(Names.GATEWAY_API_GROUP))
          || !Names.GATEWAY_KIND.equals(refKind) && !Names.LISTENERSET_KIND.equals(refKind)) {
        return; // GAMMA Service parents and other kinds: not ours to police
      }
      NamespacedName target =
          new NamespacedName(
              Json.stringOr(ref, namespace, "namespace"), Json.stringOr(ref, "", "name"));
      Optional<List<Listener>> all;
      NamespacedName gatewayId;
      String where;
      if (Names.LISTENERSET_KIND.equals(refKind)) {
        // A ListenerSet's listeners are its parent Gateway's: keys name that Gateway, so routes
        // through different ListenerSets (or the Gateway itself) on one port meet.
        Optional<ListenerSet> set = catalog.listenerSet(target);
        if (set.isEmpty() || set.get().parent().isEmpty()) {
          return;
        }
        gatewayId = set.get().parent().get();
        if (listeners.computeIfAbsent(gatewayId, this::policedListeners).isEmpty()) {
          return;
        }
        where = "ListenerSet " + target;
        if (!AllowedRoutes.listenerSetAdmitted(
            catalog.k8sGateway(gatewayId).map(K8sGateway::allowedListeners).orElse(null),
            gatewayId.namespace(),
            target.namespace(),
            catalog.namespaceLabels(target.namespace()))) {
          warn(where + " is not allowed by the allowedListeners of gateway " + gatewayId);
          return;
        }
        all = Optional.of(set.get().listeners());
      } else {
        gatewayId = target;
        all = listeners.computeIfAbsent(target, this::policedListeners);
        where = "gateway " + target;
      }
      if (all.isEmpty()) {
        return;
      }
      String gateway = gatewayId.toString().intern();
      Set<String> matched = matchedHosts.computeIfAbsent(where, g -> new LinkedHashSet<>());
      String section = Json.string(ref, "sectionName").filter(s -> !s.isEmpty()).orElse(null);
      JsonNode port = Json.at(ref, "port");
      boolean any = false;
      for (Listener listener : all.get()) {
        if (section != null && !section.equals(listener.name())
            || port.isIntegralNumber()
                && (!port.canConvertToInt() || port.asInt() != listener.port())) {
          continue;
        }
        any = true;
        List<String> effective = new ArrayList<>();
        List<HostClaim> served = new ArrayList<>();
        if (hostless) {
          String e = Hostnames.intersect(listener.hostname(), null);
          effective.add(e);
          // a listener's wildcard is shared by whoever attaches without hostnames: not a claim
          served.add(new HostClaim(gateway, e, refPath, e.indexOf('*') < 0, false));
        }
        for (int i = 0; i < hosts.size(); i++) {
          String e = Hostnames.intersect(listener.hostname(), hosts.get(i));
          if (e != null) {
            matched.add(hosts.get(i));
            if (!effective.contains(e)) {
              effective.add(e);
              hostRank.putIfAbsent(e, i);
              served.add(
                  new HostClaim(gateway, e, hostPaths.get(i), true, exempt.contains(hosts.get(i))));
            }
          }
        }
        if (effective.isEmpty()) {
          continue;
        }
        String refusal =
            AllowedRoutes.refusal(listener, target.namespace(), namespace, labels(), kind);
        if (refusal != null) {
          warn(refusal + " is not allowed by listener " + listener.name() + " of " + where);
          continue;
        }
        served.forEach(claim -> claims.putIfAbsent(claim.key(), claim));
        locations.forEach(
            (path, match) ->
                effective.forEach(
                    host ->
                        keys.get(path).add(new RouteKey(gateway, listener.port(), host, match))));
      }
      if (!any) {
        warn(
            "parentRef"
                + (section == null ? "" : " sectionName " + section)
                + (port.isIntegralNumber() ? " port " + port.asString() : "")
                + " matches no listener of "
                + where);
      }
    }

    /**
     * The listeners of a policed k8s Gateway. One some OFN Gateway uses: from the cluster when
     * known, else the OFN Gateways' own (merged by name). Any other: the cluster's, when its route
     * policy is not off. Empty when not policed.
     */
    private Optional<List<Listener>> policedListeners(NamespacedName k8sGateway) {
      Map<String, Listener> merged = new LinkedHashMap<>();
      boolean policed = false;
      List<OfnGateway> gateways = new ArrayList<>(catalog.ofnGateways());
      if (known != null) {
        gateways.add(0, known);
      }
      for (OfnGateway gateway : gateways) {
        if (gateway.k8sGateway().equals(k8sGateway)) {
          policed = true;
          gateway.listeners().forEach(l -> merged.putIfAbsent(l.name(), l));
        }
      }
      if (!policed) {
        return policies.of(k8sGateway) == RoutePolicy.OFF
            ? Optional.empty()
            : catalog.k8sGatewayListeners(k8sGateway);
      }
      return Optional.of(
          catalog.k8sGatewayListeners(k8sGateway).orElseGet(() -> List.copyOf(merged.values())));
    }

    private Map<String, String> labels() {
      if (namespaceLabels == null) {
        namespaceLabels = catalog.namespaceLabels(namespace);
      }
      return namespaceLabels;
    }

    private void warn(String warning) {
      warnings.add(Warnings.clip(warning));
    }
  }

  /** {@code spec.parentRefs}, or the Function route's parentRefs for its rules path. */
  private static String parentRefsPath(String rulesPath) {
    return rulesPath.substring(0, rulesPath.length() - "rules".length()) + "parentRefs";
  }

  /**
   * A GRPCRoute's matches: each match's field path and normalised match, in order; a rule without
   * matches (or absent rules) matches every method.
   */
  static Map<String, Match> grpcLocations(JsonNode rules, String rulesPath) {
    return locations(rules, rulesPath, Match.GRPC_ANY, Match::grpc);
  }

  /**
   * Each match's field path and normalised match, in order; a rule without matches matches {@code
   * /}.
   */
  static Map<String, Match> locations(JsonNode rules, String rulesPath) {
    return locations(rules, rulesPath, Match.ROOT, Match::of);
  }

  /**
   * The one walk over rules and matches; {@code everything}: what a rule without matches matches.
   */
  private static Map<String, Match> locations(
      JsonNode rules,
      String rulesPath,
      Match everything,
      java.util.function.Function<JsonNode, Match> read) {
    Map<String, Match> locations = new LinkedHashMap<>();
    if (rules == null) {
      locations.put(rulesPath + "[0]", everything);
      return locations;
    }
    int i = 0;
    for (JsonNode rule : rules) {
      String rulePath = rulesPath + "[" + i++ + "]";
      JsonNode matches = Json.at(rule, "matches");
      if (!matches.isArray() || matches.isEmpty()) {
        locations.put(rulePath, everything);
        continue;
      }
      int j = 0;
      for (JsonNode match : matches) {
        locations.put(rulePath + ".matches[" + j++ + "]", read.apply(match));
      }
    }
    return locations;
  }
}
