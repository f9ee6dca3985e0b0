package dev.ofn.webhook.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofn.webhook.admission.AdmissionRequest;
import dev.ofn.webhook.admission.AdmissionResponse;
import dev.ofn.webhook.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

class ReviewCodecTest {

  static byte[] review(String apiVersion, String request) {
    return ("{\"apiVersion\":\""
            + apiVersion
            + "\",\"kind\":\"AdmissionReview\",\"request\":"
            + request
            + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void decodesTheFieldsHandlersRead() throws Exception {
    AdmissionRequest request =
        ReviewCodec.decode(
            review(
                "admission.k8s.io/v1beta1",
                "{\"uid\":\"u-1\",\"operation\":\"UPDATE\",\"namespace\":\"ns\",\"name\":\"f\",\"dryRun\":true,"
                    + "\"kind\":{\"group\":\"core.openfunction.io\",\"version\":\"v1beta2\",\"kind\":\"Function\"},"
                    + "\"object\":{\"a\":1},\"oldObject\":null}"));
    assertEquals("admission.k8s.io/v1beta1", request.apiVersion());
    assertEquals("u-1", request.uid());
    assertEquals("UPDATE", request.operation());
    assertEquals("ns", request.objectNamespace());
    assertEquals("Function", request.kind());
    assertTrue(request.dryRun());
    assertEquals(1, request.object().path("a").asInt());
    assertNull(request.oldObject());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{not json                                                          | malformed JSON: ",
        "[1,2]                                                              | not an AdmissionReview: the body is not a JSON object",
        "{\"kind\":\"Pod\",\"apiVersion\":\"v1\"}                           | not an AdmissionReview: expected kind AdmissionReview",
        "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\"} | AdmissionReview has no request",
        "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{}} | AdmissionReview request has no uid",
        "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":7}} | AdmissionReview request has no uid",
      })
  void refusesWhatIsNotAReviewWithAMessage(String body, String messageStart) {
    BadReviewException e =
        assertThrows(
            BadReviewException.class,
            () -> ReviewCodec.decode(body.trim().getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().startsWith(messageStart.trim()), e.getMessage());
  }

  @Test
  void leavesOnlyTheObjectsManagedFieldsOutOfTheParsedReview() throws Exception {
    String managed = "[{\"manager\":\"kubectl\",\"fieldsV1\":{\"f:spec\":{\".\":{}}}}]";
    AdmissionRequest request =
        ReviewCodec.decode(
            review(
                "admission.k8s.io/v1",
                "{\"uid\":\"u\",\"operation\":\"UPDATE\",\"managedFields\":1,"
                    + "\"object\":{\"metadata\":{\"name\":\"f\",\"managedFields\":"
                    + managed
                    + ",\"labels\":{\"a\":\"b\"}},"
                    + "\"spec\":{\"managedFields\":"
                    + managed
                    + "}},"
                    + "\"oldObject\":{\"metadata\":{\"managedFields\":"
                    + managed
                    + ",\"name\":\"f\"}}}"));
    assertEquals(
        Json.MAPPER.readTree(
            "{\"metadata\":{\"name\":\"f\",\"labels\":{\"a\":\"b\"}},"
                + "\"spec\":{\"managedFields\":"
                + managed
                + "}}"),
        request.object());
    assertEquals(Json.MAPPER.readTree("{\"metadata\":{\"name\":\"f\"}}"), request.oldObject());
    AdmissionRequest bare =
        ReviewCodec.decode(
            review(
                "admission.k8s.io/v1",
                "{\"uid\":\"u\",\"object\":{\"metadata\":{\"managedFields\":[]},\"spec\":{},\"status\":[]}}"));
    assertEquals(
        Json.MAPPER.readTree("{\"metadata\":{},\"spec\":{},\"status\":[]}"), bare.object());
    AdmissionRequest odd =
        ReviewCodec.decode(
            review(
                "admission.k8s.io/v1",
                "{\"uid\":\"u\",\"object\":{\"metadata\":[{\"managedFields\":1}]}}"));
    assertEquals(Json.MAPPER.readTree("{\"metadata\":[{\"managedFields\":1}]}"), odd.object());
  }

  @Test
  void refusesMalformedJsonInsideTheSkippedManagedFields() {
    BadReviewException e =
        assertThrows(
            BadReviewException.class,
            () ->
                ReviewCodec.decode(
                    review(
                        "admission.k8s.io/v1",
                        "{\"uid\":\"u\",\"object\":{\"metadata\":{\"managedFields\":[{\"a\":}]}}}")));
    assertTrue(e.getMessage().startsWith("malformed JSON"), e.getMessage());
  }

  @Test
  void refusesNestingDeeperThanAnyObjectWeRead() {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    BadReviewException e =
        assertThrows(
            BadReviewException.class,
            () ->
                ReviewCodec.decode(
                    review("admission.k8s.io/v1", "{\"uid\":\"u\",\"object\":" + deep + "}")));
    assertEquals("JSON nested too deeply: more than 200 levels", e.getMessage());
  }

  @Test
  void encodesADenialInTheRequestsVersionWithTheUidEchoed() throws Exception {
    AdmissionRequest request =
        ReviewCodec.decode(review("admission.k8s.io/v1beta1", "{\"uid\":\"abc\"}"));
    byte[] bytes =
        ReviewCodec.encode(
            request,
            AdmissionResponse.deny(
                403,
                "Invalid",
                "spec.image: Required value",
                List.of("w"),
                Map.of("ofn.io/conflict-with", "Function default/a")));
    JsonNode out = Json.MAPPER.readTree(bytes);
    assertEquals(
        Json.MAPPER.readTree(
            "{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\","
                + "\"response\":{\"uid\":\"abc\",\"allowed\":false,\"status\":{\"code\":403,\"reason\":\"Invalid\","
                + "\"message\":\"spec.image: Required value\"},\"warnings\":[\"w\"],"
                + "\"auditAnnotations\":{\"ofn.io/conflict-with\":\"Function default/a\"}}}"),
        out);
  }

  @Test
  void encodesAPatchAsBase64JsonPatch() throws Exception {
    AdmissionRequest request =
        ReviewCodec.decode(review("admission.k8s.io/v1", "{\"uid\":\"abc\"}"));
    JsonNode ops =
        Json.MAPPER.readTree("[{\"op\":\"add\",\"path\":\"/spec/version\",\"value\":\"latest\"}]");
    JsonNode out =
        Json.MAPPER.readTree(ReviewCodec.encode(request, AdmissionResponse.patch(ops, List.of())));
    assertEquals("JSONPatch", out.path("response").path("patchType").asString());
    assertEquals(
        ops,
        Json.MAPPER.readTree(
            Base64.getDecoder().decode(out.path("response").path("patch").asString())));
    assertFalse(out.path("response").has("warnings"));
  }

  @Test
  void shortensLongWarnings() {
    AdmissionResponse response = AdmissionResponse.allow(List.of("x".repeat(500)));
    assertEquals(dev.ofn.webhook.model.Warnings.MAX, response.warnings().get(0).length());
  }
}
