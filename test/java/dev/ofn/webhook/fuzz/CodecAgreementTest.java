package dev.ofn.webhook.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofn.webhook.admission.AdmissionRequest;
import dev.ofn.webhook.admission.AdmissionResponse;
import dev.ofn.webhook.admission.Endpoint;
import dev.ofn.webhook.admission.Patches;
import dev.ofn.webhook.admission.ReviewHandler;
import dev.ofn.webhook.admission.Webhooks;
import dev.ofn.webhook.gateways.StaticGatewayCatalog;
import dev.ofn.webhook.json.Json;
import dev.ofn.webhook.routing.ConflictIndex;
import dev.ofn.webhook.server.BadReviewException;
import dev.ofn.webhook.server.ReviewCodec;
import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The streaming review codec and the direct patch diff answer exactly what reading the whole review
 * as a tree, building the answer as a tree and zjsonpatch's diff answered before them: the same
 * request (or the same refusal, word for word), the same answer bytes, the same patch ops. Over the
 * fuzz test's damaged reviews and hand-picked edge cases.
 */
class CodecAgreementTest {
  private static final int CASES = 4_000;
  private static final Map<Endpoint, ReviewHandler> HANDLERS =
      new Webhooks(
              StaticGatewayCatalog.builtIn(),
              new ConflictIndex(),
              new Webhooks.Settings(true, false))
          .handlers();

  @Test
  void damagedReviewsDecodeAndAnswerAsTheTreeCodecDid() {
    Mutations mutations = new Mutations();
    Random run = new Random(21);
    for (int i = 0; i < CASES; i++) {
      Mutations.Case fuzz = mutations.next(run.nextLong());
      if (fuzz.body().length > 1 << 20) {
        continue; // the oversize case never reaches the codec (413)
      }
      agree(fuzz.body(), fuzz.endpoint(), fuzz.toString());
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "null",
        "7",
        "\"review\"",
        "[1,2]",
        "[1,",
        "[1] x",
        "{} {}",
        "{} x",
        "{}]",
        "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"u\"}} {}",
        "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"u\"}} 1",
        "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"u\",\"options\":{\"n\":"
            + "1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
            + "1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
            + "1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
            + "1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
            + "1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
            + "1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
            + "1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
            + "1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
            + "1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
            + "1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
            + "11111}}}",
        "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"Pod\",\"request\":{\"uid\":\"u\"}}",
        "{\"request\":{\"uid\":\"u\"},\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1beta1\"}",
        "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"u\"},\"request\":[]}",
        "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":7,\"request\":{\"uid\":\"u\"}}",
        "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"u\",\"uid\":7}}",
        "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"u\","
            + "\"kind\":{\"group\":\"g\",\"kind\":\"K\"},\"kind\":{\"version\":\"v\"},\"dryRun\":true,\"dryRun\":{\"a\":1},"
            + "\"userInfo\":{\"username\":\"a\",\"groups\":[\"x\"]},\"userInfo\":{\"username\":[1]},"
            + "\"object\":{\"kind\":\"Function\"},\"object\":null,\"oldObject\":[],\"oldObject\":\"s\"}}",
        "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"u\",\"dryRun\":true,"
            + "\"kind\":[],\"userInfo\":{\"username\":\"a\"},\"name\":\"n\",\"namespace\":\"ns\",\"operation\":\"CREATE\","
            + "\"object\":{\"metadata\":{\"managedFields\":[{\"m\":1}],\"name\":\"f\",\"managedFields\":{}}},"
            + "\"oldObject\":{\"metadata\":[{\"managedFields\":1}]}}}",
        "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"u\","
            + "\"object\":{\"metadata\":{\"managedFields\":[{\"a\":}]}}}}",
        "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"u\","
            + "\"resource\":{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
            + "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}}}",
        "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"u\",\"name\":\"\\ud800\"}}"
      })
  void edgeCasesDecodeAsTheTreeCodecDid(String body) {
    for (Endpoint endpoint : Endpoint.values()) {
      agree(body.getBytes(StandardCharsets.UTF_8), endpoint, body);
    }
  }

  @Test
  void theDiffIsZjsonpatchsOpForOp() {
    Mutations mutations = new Mutations();
    Random run = new Random(1);
    for (int i = 0; i < CASES; i++) {
      Mutations.Case fuzz = mutations.next(run.nextLong());
      if (!(fuzz.object() instanceof ObjectNode object)) {
        continue;
      }
      ObjectNode changed = object.deepCopy();
      Random edits = new Random(fuzz.seed());
      for (int e = edits.nextInt(4); e >= 0 && !changed.isEmpty(); e--) {
        Mutations.mutateTree(edits, changed);
      }
      JsonNode reference =
          JsonDiff.asJson(
              object,
              changed,
              EnumSet.of(
                  DiffFlags.OMIT_MOVE_OPERATION,
                  DiffFlags.OMIT_COPY_OPERATION,
                  DiffFlags.OMIT_VALUE_ON_REMOVE));
      JsonNode ours = Patches.diff(object, changed);
      assertEquals(reference.isEmpty() ? null : reference, ours, fuzz.toString());
    }
  }

  private static void agree(byte[] body, Endpoint endpoint, String what) {
    Object expected = TreeCodec.decode(body);
    Object actual;
    try {
      actual = ReviewCodec.decode(body);
    } catch (BadReviewException e) {
      actual = e.getMessage();
    }
    assertEquals(expected, actual, what);
    if (actual instanceof AdmissionRequest request) {
      AdmissionResponse response = HANDLERS.get(endpoint).review(request);
      assertArrayEquals(
          TreeCodec.encode(request, response),
          ReviewCodec.encode(request, response),
          () ->
              what
                  + "\n"
                  + new String(ReviewCodec.encode(request, response), StandardCharsets.UTF_8));
    }
  }

  /** The codec as it was: the review read whole into a tree, the answer built as a tree. */
  private static final class TreeCodec {
    static Object decode(byte[] body) {
      JsonNode review;
      try {
        review = Json.MAPPER.readTree(Json.MAPPER.createParser(body));
      } catch (JacksonException e) {
        if (Json.tooDeep(e)) {
          return Json.TOO_DEEP; // the one message changed since: nesting is not malformed
        }
        String message = e.getOriginalMessage();
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return "malformed JSON: " + (line.length() > 200 ? line.substring(0, 200) + "…" : line);
      }
      if (review == null || !review.isObject()) {
        return "not an AdmissionReview: the body is not a JSON object";
      }
      String apiVersion = text(review.get("apiVersion"));
      if (!"AdmissionReview".equals(text(review.get("kind")))
          || !"admission.k8s.io/v1".equals(apiVersion)
              && !"admission.k8s.io/v1beta1".equals(apiVersion)) {
        return "not an AdmissionReview: expected kind AdmissionReview, apiVersion admission.k8s.io/v1 or v1beta1";
      }
      JsonNode request = review.get("request");
      if (request == null || !request.isObject()) {
        return "AdmissionReview has no request";
      }
      String uid = text(request.get("uid"));
      if (uid == null || uid.isEmpty()) {
        return "AdmissionReview request has no uid";
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
          withoutManagedFields(request.get("object")),
          withoutManagedFields(request.get("oldObject")),
          text(request.path("userInfo").get("username")));
    }

    static byte[] encode(AdmissionRequest request, AdmissionResponse response) {
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
        List<String> warnings = new ArrayList<>(response.warnings());
        warnings.forEach(out.putArray("warnings")::add);
      }
      if (!response.auditAnnotations().isEmpty()) {
        ObjectNode audit = out.putObject("auditAnnotations");
        response.auditAnnotations().forEach(audit::put);
      }
      return Json.MAPPER.writeValueAsBytes(review);
    }

    private static JsonNode withoutManagedFields(JsonNode object) {
      if (object == null || object.isNull()) {
        return null;
      }
      if (object.get("metadata") instanceof ObjectNode metadata) {
        metadata.remove("managedFields");
      }
      return object;
    }

    private static String text(JsonNode node) {
      return node != null && node.isString() ? node.stringValue() : null;
    }
  }
}
