package dev.ofn.webhook.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.validation.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The validating contract with a validator that reports whatever the object's "errors" field lists.
 */
class ValidatingReviewTest {
  private final List<String> admitted = new ArrayList<>();
  private final ValidatingReview review =
      new ValidatingReview(
          "test",
          new ValidatingReview.Validator() {
            @Override
            public ValidatingReview.Findings validate(AdmissionRequest request, JsonNode object) {
              List<FieldError> fields = new ArrayList<>();
              List<FieldError> conflicts = new ArrayList<>();
              object
                  .path("errors")
                  .forEach(e -> fields.add(FieldError.required(e.asString(), "must be specified")));
              object
                  .path("conflicts")
                  .forEach(
                      e ->
                          conflicts.add(
                              FieldError.forbidden(e.asString(), "taken by Function a/b")));
              if (object.has("boom")) {
                throw new IllegalStateException("boom");
              }
              return new ValidatingReview.Findings(
                  fields,
                  conflicts,
                  List.of(),
                  conflicts.isEmpty() ? Set.of() : Set.of("Function a/b"));
            }

            @Override
            public void admitted(AdmissionRequest request) {
              admitted.add(request.uid());
            }
          });

  private static AdmissionRequest request(String op, String object, String old) {
    return new AdmissionRequest(
        "admission.k8s.io/v1",
        "uid",
        op,
        "default",
        "n",
        "g",
        "v",
        "K",
        false,
        object == null ? null : Json.MAPPER.readTree(object),
        old == null ? null : Json.MAPPER.readTree(old),
        null);
  }

  @Test
  void deniesEveryErrorFieldErrorsFirstInPathOrder() {
    AdmissionResponse response =
        review.review(
            request(
                "CREATE",
                "{\"errors\":[\"spec.z\",\"spec.a\"],\"conflicts\":[\"spec.rules[0]\"]}",
                null));
    assertFalse(response.allowed());
    assertEquals(403, response.code());
    assertEquals("Invalid", response.reason());
    assertEquals(
        "spec.a: Required value: must be specified\nspec.z: Required value: must be specified\n"
            + "spec.rules[0]: Forbidden: taken by Function a/b",
        response.message());
    assertEquals("Function a/b", response.auditAnnotations().get("ofn.io/conflict-with"));
    assertTrue(admitted.isEmpty());
  }

  @Test
  void conflictsAloneAreForbidden() {
    AdmissionResponse response =
        review.review(request("CREATE", "{\"conflicts\":[\"spec.rules[0]\"]}", null));
    assertEquals("Forbidden", response.reason());
  }

  @Test
  void updateIsDeniedOnlyForNewErrors() {
    AdmissionResponse kept =
        review.review(
            request("UPDATE", "{\"errors\":[\"spec.a\"],\"x\":2}", "{\"errors\":[\"spec.a\"]}"));
    assertTrue(kept.allowed());
    assertEquals(
        List.of("existing problem: spec.a: Required value: must be specified"), kept.warnings());
    AdmissionResponse added =
        review.review(
            request("UPDATE", "{\"errors\":[\"spec.a\",\"spec.b\"]}", "{\"errors\":[\"spec.a\"]}"));
    assertEquals("spec.b: Required value: must be specified", added.message());
  }

  @Test
  void metadataOnlyUpdatesAndDeletingObjectsAreNeverDenied() {
    AdmissionResponse labels =
        review.review(
            request(
                "UPDATE",
                "{\"metadata\":{\"labels\":{\"a\":\"b\"}},\"errors\":[\"spec.a\"],\"conflicts\":[\"spec.r\"]}",
                "{\"metadata\":{},\"errors\":[\"spec.a\"],\"conflicts\":[\"spec.r\"]}"));
    assertTrue(labels.allowed());
    AdmissionResponse deleting =
        review.review(
            request(
                "UPDATE",
                "{\"metadata\":{\"deletionTimestamp\":\"2026-01-01T00:00:00Z\"},\"errors\":[\"spec.new\"]}",
                "{\"metadata\":{}}"));
    assertTrue(deleting.allowed());
    assertEquals(
        List.of("existing problem: spec.new: Required value: must be specified"),
        deleting.warnings());
  }

  @Test
  void nullObjectIsDeniedWithAMessageAndDeleteIsAllowed() {
    AdmissionResponse nullObject = review.review(request("CREATE", null, null));
    assertFalse(nullObject.allowed());
    assertEquals("request.object must be an object for CREATE", nullObject.message());
    assertTrue(review.review(request("DELETE", null, "{\"errors\":[\"x\"]}")).allowed());
  }

  @Test
  void aFailingValidatorIsA500DenialWithoutStackTrace() {
    AdmissionResponse response = review.review(request("CREATE", "{\"boom\":1}", null));
    assertFalse(response.allowed());
    assertEquals(500, response.code());
    assertEquals(
        "test: internal error while validating (IllegalStateException); see the server log",
        response.message());
  }

  @Test
  void allowedObjectsAreReportedAsAdmitted() {
    assertTrue(review.review(request("CREATE", "{}", null)).allowed());
    assertEquals(List.of("uid"), admitted);
  }
}
