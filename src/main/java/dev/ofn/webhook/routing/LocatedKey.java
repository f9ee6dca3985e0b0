package dev.ofn.webhook.routing;

/**
 * A route key and the field that produced it, e.g. {@code spec.rules[0].matches[1]}, for messages.
 */
public record LocatedKey(String path, RouteKey key) {}
