package dev.ofn.webhook.server;

import dev.ofn.webhook.admission.AdmissionRequest;
import dev.ofn.webhook.admission.AdmissionResponse;
import dev.ofn.webhook.admission.Endpoint;
import dev.ofn.webhook.admission.ValidatingReview;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import tools.jackson.databind.JsonNode;

/**
 * One info line per denial (logger {@code dev.ofn.webhook.denials}): who was refused what, where
 * and why. In JSON the parts are also fields of their own: {@code webhook operation kind namespace
 * name user code reason conflictWith dryRun uid}.
 */
public final class DenialLog {
  static final Logger LOG = LoggerFactory.getLogger("dev.ofn.webhook.denials");

  /** Longest message logged: a review can list thousands of errors, the log line stays readable. */
  static final int MAX_MESSAGE = 4096;

  private static final Pattern BREAKS = Pattern.compile("\\s*[\\r\\n]+\\s*");

  private DenialLog() {}

  public static void denied(
      Endpoint endpoint, AdmissionRequest request, AdmissionResponse response) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    String name = name(request);
    String namespace = request.objectNamespace();
    String user = request.user() == null ? "unknown user" : request.user();
    String owners = response.auditAnnotations().get(ValidatingReview.CONFLICT_AUDIT_KEY);
    LoggingEventBuilder line =
        LOG.atInfo()
            .addKeyValue("webhook", endpoint.webhookName)
            .addKeyValue("operation", request.operation())
            .addKeyValue("kind", request.kind())
            .addKeyValue("namespace", namespace)
            .addKeyValue("name", name)
            .addKeyValue("user", request.user())
            .addKeyValue("code", response.code())
            .addKeyValue("reason", response.reason());
    if (owners != null) {
      line = line.addKeyValue("conflictWith", owners);
    }
    if (request.dryRun()) {
      line = line.addKeyValue("dryRun", true);
    }
    line.addKeyValue("uid", request.uid())
        .log(
            "denied {} {} {}/{} by {} at {}{}: {}: {}{}",
            oneLine(request.operation()),
            oneLine(request.kind()),
            oneLine(namespace),
            oneLine(name),
            oneLine(user),
            endpoint.webhookName,
            request.dryRun() ? " (dry run)" : "",
            response.reason(),
            clip(oneLine(response.message())),
            owners == null ? "" : " [conflicts with " + owners + "]");
  }

  /** The request's name, else the object's, else its generateName followed by {@code *}. */
  static String name(AdmissionRequest request) {
    if (request.name() != null && !request.name().isEmpty()) {
      return request.name();
    }
    JsonNode metadata = request.object() == null ? null : request.object().path("metadata");
    if (metadata != null && metadata.path("name").isString()) {
      return metadata.path("name").stringValue();
    }
    if (metadata != null && metadata.path("generateName").isString()) {
      return metadata.path("generateName").stringValue() + "*";
    }
    return "";
  }

  static String clip(String message) {
    return message.length() <= MAX_MESSAGE
        ? message
        : message.substring(0, MAX_MESSAGE)
            + "… ("
            + (message.length() - MAX_MESSAGE)
            + " more characters)";
  }

  /** Multi-line messages (one line per error) as one line: {@code "; "} between them. */
  static String oneLine(String text) {
    return text == null ? "" : BREAKS.matcher(text.strip()).replaceAll("; ");
  }
}
