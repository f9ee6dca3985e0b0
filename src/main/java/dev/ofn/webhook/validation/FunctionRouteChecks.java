package dev.ofn.webhook.validation;

import dev.ofn.webhook.model.FunctionBackends;
import dev.ofn.webhook.model.Names;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Beyond checks on {@code spec.serving.triggers.http.route} (docs/behaviour.md §5): the route
 * becomes an HTTPRoute, so what the HTTPRoute CRD would refuse — after the Function was accepted —
 * is refused at the Function. Route conflicts are checked by the routing piece, not here.
 */
final class FunctionRouteChecks {
  /** The derived HTTPRoute appends the internal host and holds at most 16. */
  static final int MAX_HOSTNAMES = 15;

  static final int MAX_RULES = 16;
  static final String HEADER_MODIFIER = "RequestHeaderModifier";

  private FunctionRouteChecks() {}

  /** {@code namespace}: the Function's, which every Function backend must share. */
  static void check(Errors errors, At route, String namespace) {
    if (!errors.object(route)) {
      return;
    }
    gatewayRef(errors, route.get("gatewayRef"));
    hostnames(errors, route.get("hostnames"));
    At rules = route.get("rules");
    List<At> items = errors.array(rules);
    if (items.size() > MAX_RULES) {
      errors.add(FieldError.tooMany(rules.path(), items.size(), MAX_RULES));
    }
    for (At rule : items) {
      if (errors.object(rule)) {
        for (At match : errors.array(rule.get("matches"))) {
          if (errors.object(match)) {
            match(errors, match);
          }
        }
        filters(errors, rule.get("filters"));
        backendRefs(errors, rule.get("backendRefs"), namespace);
      }
    }
  }

  /**
   * Traffic split: every backendRef names a Function beside this one ({@link FunctionBackends}), at
   * most 16 of them, each once, with a Gateway API weight. Other kinds are refused rather than
   * dropped: OpenFunction replaced them silently.
   */
  private static void backendRefs(Errors errors, At backendRefs, String namespace) {
    List<At> items = errors.array(backendRefs);
    if (items.size() > FunctionBackends.MAX_BACKENDS) {
      errors.add(
          FieldError.tooMany(backendRefs.path(), items.size(), FunctionBackends.MAX_BACKENDS));
    }
    Set<String> seen = new HashSet<>();
    for (At ref : items) {
      if (!errors.object(ref)) {
        continue;
      }
      At kind = ref.get("kind");
      Optional<String> kindValue = errors.string(kind);
      if (!kind.present()) {
        errors.add(
            FieldError.required(
                kind.path(),
                "must be "
                    + Names.FUNCTION_KIND
                    + ": a Function's route sends only to Functions (group "
                    + Names.FUNCTION_GROUP
                    + ")"));
      } else {
        kindValue
            .filter(k -> !Names.FUNCTION_KIND.equals(k))
            .ifPresent(
                k ->
                    errors.add(
                        FieldError.unsupported(kind.path(), k, List.of(Names.FUNCTION_KIND))));
      }
      At group = ref.get("group");
      String groupValue = errors.string(group).orElse("");
      if (kindValue.filter(Names.FUNCTION_KIND::equals).isPresent()
          && !Names.FUNCTION_GROUP.equals(groupValue)
          && (!group.present() || group.node().isString())) {
        errors.add(FieldError.unsupported(group.path(), groupValue, List.of(Names.FUNCTION_GROUP)));
      }
      At name = ref.get("name");
      Optional<String> nameValue = errors.string(name);
      if (nameValue.orElse("").isEmpty() && (!name.present() || name.node().isString())) {
        errors.add(FieldError.required(name.path(), "must name a Function"));
      }
      // a name no Function can have is refused, not warned about as one that may come later
      nameValue
          .filter(n -> !n.isEmpty())
          .flatMap(GatewayApiRules::objectNameProblem)
          .ifPresent(
              problem -> errors.add(FieldError.invalid(name.path(), nameValue.get(), problem)));
      nameValue
          .filter(n -> !n.isEmpty() && !seen.add(n))
          .ifPresent(n -> errors.add(FieldError.duplicate(name.path(), n)));
      At ns = ref.get("namespace");
      errors
          .string(ns)
          .filter(n -> !n.equals(namespace))
          .ifPresent(
              n ->
                  errors.add(
                      FieldError.invalid(
                          ns.path(),
                          n,
                          "must be the Function's own namespace ("
                              + namespace
                              + "): a route sends only to Functions beside it")));
      At weight = ref.get("weight");
      OptionalLong weightValue = errors.int32(weight);
      if (weightValue.isPresent()
          && (weightValue.getAsLong() < 0
              || weightValue.getAsLong() > FunctionBackends.MAX_WEIGHT)) {
        errors.add(
            FieldError.invalid(
                weight.path(),
                weightValue.getAsLong(),
                "must be between 0 and " + FunctionBackends.MAX_WEIGHT + ", inclusive"));
      }
      filters(errors, ref.get("filters"));
    }
  }

  private static void gatewayRef(Errors errors, At ref) {
    if (!errors.object(ref)) {
      return;
    }
    for (String field : List.of("name", "namespace")) {
      At at = ref.get(field);
      boolean given =
          !errors.string(at).orElse("").isEmpty() || at.present() && !at.node().isString();
      if (!given) {
        errors.add(FieldError.required(at.path(), "must specify the OFN Gateway's " + field));
      }
    }
  }

  private static void hostnames(Errors errors, At hostnames) {
    List<At> items = errors.array(hostnames);
    if (items.size() > MAX_HOSTNAMES) {
      errors.add(
          new FieldError(
              hostnames.path(),
              FieldError.Type.TOO_MANY,
              items.size(),
              "must have at most "
                  + MAX_HOSTNAMES
                  + " items (the HTTPRoute adds the function's internal host)"));
    }
    Set<String> seen = new HashSet<>();
    for (At item : items) {
      Optional<String> host = errors.string(item);
      if (host.isEmpty() && !item.present()) {
        errors.add(FieldError.invalid(item.path(), item.node(), "must be of type string"));
      }
      host.ifPresent(
          h -> {
            if (!seen.add(h)) {
              errors.add(FieldError.duplicate(item.path(), h));
            } else {
              errors.addAll(GatewayApiRules.hostname(item.path(), h));
            }
          });
    }
  }

  private static void match(Errors errors, At match) {
    At path = match.get("path");
    if (errors.object(path)) {
      // absent type and value are the CRD defaults: PathPrefix and "/"
      At typeAt = path.get("type");
      Optional<String> type = errors.string(typeAt);
      type.filter(t -> !GatewayApiRules.PATH_TYPES.contains(t))
          .ifPresent(
              t ->
                  errors.add(FieldError.unsupported(typeAt.path(), t, GatewayApiRules.PATH_TYPES)));
      At value = path.get("value");
      errors
          .string(value)
          .ifPresent(
              v -> errors.addAll(GatewayApiRules.pathValue(value.path(), type.orElse(null), v)));
    }
    // header names are case-insensitive in HTTP, query parameter names are not
    unique(errors, match.get("headers"), true);
    unique(errors, match.get("queryParams"), false);
  }

  private static void unique(Errors errors, At list, boolean ignoreCase) {
    Set<String> seen = new HashSet<>();
    for (At item : errors.array(list)) {
      if (!errors.object(item)) {
        continue;
      }
      At name = item.get("name");
      errors
          .string(name)
          .ifPresent(
              n -> {
                if (!seen.add(ignoreCase ? n.toLowerCase(Locale.ROOT) : n)) {
                  errors.add(FieldError.duplicate(name.path(), n));
                }
              });
    }
  }

  /**
   * Route derivation merges its Host header into the one RequestHeaderModifier of the rule (or, in
   * a split, of each backendRef).
   */
  private static void filters(Errors errors, At filters) {
    int modifiers = 0;
    for (At filter : errors.array(filters)) {
      if (!errors.object(filter)) {
        continue;
      }
      if (errors.string(filter.get("type")).filter(HEADER_MODIFIER::equals).isPresent()
          && ++modifiers > 1) {
        errors.add(
            FieldError.forbidden(filter.path(), HEADER_MODIFIER + " filter cannot be repeated"));
      }
    }
  }
}
