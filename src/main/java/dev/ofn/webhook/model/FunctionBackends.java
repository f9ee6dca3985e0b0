package dev.ofn.webhook.model;

import dev.ofn.webhook.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * Traffic split: the Functions a route rule sends to. In a Function's route rule, a backendRef with
 * {@code group: core.openfunction.io, kind: Function} names a Function in the same namespace (the
 * Function itself included); a rule without such backendRefs sends everything to the Function's own
 * backend, as OpenFunction does. Weights as in Gateway API: 0 to 1,000,000, 1 when missing. Pure.
 */
public final class FunctionBackends {
  /** The HTTPRoute CRD's (and the Function CRD's) backendRefs maxItems. */
  public static final int MAX_BACKENDS = 16;

  public static final int MAX_WEIGHT = 1_000_000;
  public static final int DEFAULT_WEIGHT = 1;

  private FunctionBackends() {}

  /**
   * One Function a rule sends to: its name, its weight and the backendRef's own {@code filters}
   * (missing when it has none).
   */
  public record Ref(String name, int weight, JsonNode filters) {}

  /** True when {@code backendRef} names a Function ({@code core.openfunction.io}, Function). */
  public static boolean namesFunction(JsonNode backendRef) {
    return Names.FUNCTION_KIND.equals(Json.stringOr(backendRef, "", "kind"))
        && Names.FUNCTION_GROUP.equals(Json.stringOr(backendRef, "", "group"));
  }

  /**
   * The Functions {@code rule} sends to, in order; empty when it names none (then the rule sends to
   * the Function's own backend). backendRefs of other kinds are not part of the split (admission
   * refuses them outside parity-only namespaces).
   */
  public static List<Ref> of(JsonNode rule) {
    List<Ref> refs = new ArrayList<>();
    for (JsonNode ref : Json.at(rule, "backendRefs")) {
      String name = Json.stringOr(ref, "", "name");
      if (namesFunction(ref) && !name.isEmpty()) {
        JsonNode weight = ref.path("weight");
        refs.add(
            new Ref(
                name,
                weight.canConvertToInt() ? weight.asInt() : DEFAULT_WEIGHT,
                ref.has("filters") ? ref.get("filters") : MissingNode.getInstance()));
      }
    }
    return refs;
  }

  /** The names of the Functions the stored route's rules send to (the Function's own included). */
  public static Set<String> referenced(JsonNode function) {
    Set<String> names = new TreeSet<>();
    for (JsonNode rule : FunctionRoute.route(function).path(FunctionRoute.RULES)) {
      of(rule).forEach(ref -> names.add(ref.name()));
    }
    return names;
  }
}
