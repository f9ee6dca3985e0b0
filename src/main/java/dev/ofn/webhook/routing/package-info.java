/**
 * Routes of OpenFunction Functions and the conflict index (docs/behaviour.md §6–§8). Pure: no
 * Vert.x, no client.
 *
 * <p>Admission (validating review of a Function or HTTPRoute, any served version):
 *
 * <pre>{@code
 * ConflictCheck c = checker.check(object, oldObjectOrNull);   // old: ratcheting on UPDATE
 * errors  += c.errors();        // Forbidden field errors, reason Forbidden when alone
 * warnings += c.warnings();
 * c.auditAnnotation().ifPresent(v -> audit.put(ConflictCheck.AUDIT_ANNOTATION, v));
 * if (allowed && !dryRun) index.reserve(c.keys());
 * // parity-only namespace, metadata-only update, deletionTimestamp: use c.errorsAsWarnings() instead
 * }</pre>
 *
 * <p>Informers: {@code index.put(routeKeys.of(obj))} on add/update of Functions and HTTPRoutes,
 * {@code index.remove(Owner.of(obj))} on delete; when an OFN Gateway, k8s Gateway or Namespace
 * changes, put every cached Function and HTTPRoute again (keys depend on listeners and labels).
 *
 * <p>Controller: {@link dev.ofn.webhook.routing.RouteDerivation#httpRoute} builds the HTTPRoute,
 * {@link dev.ofn.webhook.routing.RouteStatus} the status paths and addresses.
 */
package dev.ofn.webhook.routing;
