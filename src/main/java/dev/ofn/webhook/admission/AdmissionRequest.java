package dev.ofn.webhook.admission;

import tools.jackson.databind.JsonNode;

/**
 * The part of an AdmissionReview request the handlers read. {@code object}/{@code oldObject} are
 * the raw trees as sent (Java null when absent or JSON null); {@code apiVersion} is the review's
 * own version, answered in kind. {@code user} is {@code userInfo.username} (null when absent), for
 * the denial log.
 */
public record AdmissionRequest(
    String apiVersion,
    String uid,
    String operation,
    String namespace,
    String name,
    String group,
    String version,
    String kind,
    boolean dryRun,
    JsonNode object,
    JsonNode oldObject,
    String user) {

  public boolean isCreateOrUpdate() {
    return "CREATE".equals(operation) || "UPDATE".equals(operation);
  }

  public boolean isUpdate() {
    return "UPDATE".equals(operation);
  }

  /** The namespace of the object: the request's, else the object's own, else {@code default}. */
  public String objectNamespace() {
    if (namespace != null && !namespace.isEmpty()) {
      return namespace;
    }
    JsonNode ns = object == null ? null : object.path("metadata").path("namespace");
    return ns != null && ns.isString() && !ns.stringValue().isEmpty()
        ? ns.stringValue()
        : "default";
  }
}
