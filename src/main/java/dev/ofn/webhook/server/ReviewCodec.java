package dev.ofn.webhook.server;

import dev.ofn.webhook.admission.AdmissionRequest;
import dev.ofn.webhook.admission.AdmissionResponse;
import dev.ofn.webhook.json.Json;
import java.util.Base64;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.filter.FilteringParserDelegate;
import tools.jackson.core.filter.TokenFilter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * AdmissionReview v1/v1beta1 bytes ⇄ {@link AdmissionRequest} / {@link AdmissionResponse}. The body
 * is parsed once.
 */
public final class ReviewCodec {
  static final String GROUP = "admission.k8s.io/";

  private ReviewCodec() {}

  public static AdmissionRequest decode(byte[] body) throws BadReviewException {
    JsonNode review;
    try {
      review =
          Json.MAPPER.readTree(
              new FilteringParserDelegate(
                  Json.MAPPER.createParser(body),
                  BookkeepingFilter.REVIEW,
                  TokenFilter.Inclusion.INCLUDE_ALL_AND_PATH,
                  true));
    } catch (JacksonException e) {
      throw new BadReviewException(
          Json.tooDeep(e) ? Json.TOO_DEEP : "malformed JSON: " + firstLine(e.getOriginalMessage()));
    }
    if (review == null || !review.isObject()) {
      throw new BadReviewException("not an AdmissionReview: the body is not a JSON object");
    }
    String apiVersion = text(review.get("apiVersion"));
    if (!"AdmissionReview".equals(text(review.get("kind")))
        || !(GROUP + "v1").equals(apiVersion) && !(GROUP + "v1beta1").equals(apiVersion)) {
      throw new BadReviewException(
          "not an AdmissionReview: expected kind AdmissionReview, apiVersion admission.k8s.io/v1 or v1beta1");
    }
    JsonNode request = review.get("request");
    if (request == null || !request.isObject()) {
      throw new BadReviewException("AdmissionReview has no request");
    }
    String uid = text(request.get("uid"));
    if (uid == null || uid.isEmpty()) {
      throw new BadReviewException("AdmissionReview request has no uid");
    }
    JsonNode kind = request.path("kind");
    JsonNode dryRun = request.get("dryRun");
    return new AdmissionRequest(
        apiVersion,
        uid,
        text(request.get("operation")),
        text(request.get("namespace")),
        text(request.get("name")),
        text(kind.get("group")),
        text(kind.get("version")),
        text(kind.get("kind")),
        dryRun != null && dryRun.isBoolean() && dryRun.booleanValue(),
        present(request.get("object")),
        present(request.get("oldObject")),
        text(request.path("userInfo").get("username")));
  }

  public static byte[] encode(AdmissionRequest request, AdmissionResponse response) {
    ObjectNode review = Json.object();
    review.put("apiVersion", request.apiVersion());
    review.put("kind", "AdmissionReview");
    ObjectNode out = review.putObject("response");
    out.put("uid", request.uid());
    out.put("allowed", response.allowed());
    if (!response.allowed()) {
      ObjectNode status = out.putObject("status");
      status.put("code", response.code());
      status.put("reason", response.reason());
      status.put("message", response.message());
    }
    if (response.patch() != null) {
      out.put("patchType", "JSONPatch");
      out.put(
          "patch",
          Base64.getEncoder().encodeToString(Json.MAPPER.writeValueAsBytes(response.patch())));
    }
    if (!response.warnings().isEmpty()) {
      response.warnings().forEach(out.putArray("warnings")::add);
    }
    if (!response.auditAnnotations().isEmpty()) {
      ObjectNode audit = out.putObject("auditAnnotations");
      for (Map.Entry<String, String> e : response.auditAnnotations().entrySet()) {
        audit.put(e.getKey(), e.getValue());
      }
    }
    return Json.MAPPER.writeValueAsBytes(review);
  }

  private static JsonNode present(JsonNode node) {
    return node == null || node.isNull() ? null : node;
  }

  private static String text(JsonNode node) {
    return node != null && node.isString() ? node.stringValue() : null;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable body";
    }
    int nl = message.indexOf('\n');
    String line = nl < 0 ? message : message.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
