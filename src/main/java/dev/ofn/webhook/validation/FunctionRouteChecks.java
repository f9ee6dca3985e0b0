package dev.ofn.webhook.validation;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Beyond checks on {@code spec.serving.triggers.http.route} (SPEC §5): the route becomes an
 * HTTPRoute, so what the HTTPRoute CRD would refuse — after the Function was accepted — is refused
 * at the Function. Route conflicts are checked by the routing piece, not here.
 */
final class FunctionRouteChecks {
  /** The derived HTTPRoute appends the internal host and holds at most 16. */
  static final int MAX_HOSTNAMES = 15;

  static final int MAX_RULES = 16;
  static final String HEADER_MODIFIER = "RequestHeaderModifier";

  private FunctionRouteChecks() {}

  static void check(Errors errors, At route) {
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
      }
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

  /** Route derivation merges its Host header into the rule's one RequestHeaderModifier. */
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
