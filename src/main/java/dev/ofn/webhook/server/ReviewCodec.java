package dev.ofn.webhook.server;

import dev.ofn.webhook.admission.AdmissionRequest;
import dev.ofn.webhook.admission.AdmissionResponse;
import dev.ofn.webhook.json.Json;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.filter.FilteringParserDelegate;
import tools.jackson.core.filter.TokenFilter;
import tools.jackson.core.util.ByteArrayBuilder;
import tools.jackson.databind.JsonNode;

/**
 * AdmissionReview v1/v1beta1 bytes ⇄ {@link AdmissionRequest} / {@link AdmissionResponse}. The body
 * is read once, as a stream: only {@code request.object} and {@code request.oldObject} become trees
 * (what the handlers read); the envelope's fields are read as tokens and the rest (user groups,
 * resource, options, …) is skipped without building anything. The answer is written straight to
 * bytes.
 */
public final class ReviewCodec {
  static final String GROUP = "admission.k8s.io/";

  private ReviewCodec() {}

  public static AdmissionRequest decode(byte[] body) throws BadReviewException {
    return decode(body, 0, body.length);
  }

  /** The review in {@code length} bytes of {@code body} from {@code offset}. */
  public static AdmissionRequest decode(byte[] body, int offset, int length)
      throws BadReviewException {
    Review review;
    try (JsonParser parser = filtered(body, offset, length)) {
      review = Review.read(parser);
    } catch (JacksonException e) {
      // Bad JSON is rare: its message comes from reading it whole, as a tree, so it names the same
      // problem whatever part of the review it is in (and a trailing token after the review too).
      throw malformed(body, offset, length, e);
    }
    if (!review.isObject) {
      throw new BadReviewException("not an AdmissionReview: the body is not a JSON object");
    }
    String apiVersion = review.apiVersion;
    if (!"AdmissionReview".equals(review.kind)
        || !(GROUP + "v1").equals(apiVersion) && !(GROUP + "v1beta1").equals(apiVersion)) {
      throw new BadReviewException(
          "not an AdmissionReview: expected kind AdmissionReview, apiVersion admission.k8s.io/v1 or v1beta1");
    }
    Request request = review.request;
    if (request == null) {
      throw new BadReviewException("AdmissionReview has no request");
    }
    if (request.uid == null || request.uid.isEmpty()) {
      throw new BadReviewException("AdmissionReview request has no uid");
    }
    return new AdmissionRequest(
        apiVersion,
        request.uid,
        request.operation,
        request.namespace,
        request.name,
        request.group,
        request.version,
        request.kind,
        request.dryRun,
        request.object,
        request.oldObject,
        request.user);
  }

  /** The review without the objects' {@code managedFields} ({@link BookkeepingFilter}). */
  private static JsonParser filtered(byte[] body, int offset, int length) {
    return new FilteringParserDelegate(
        Json.MAPPER.createParser(body, offset, length),
        BookkeepingFilter.REVIEW,
        TokenFilter.Inclusion.INCLUDE_ALL_AND_PATH,
        true);
  }

  private static BadReviewException malformed(
      byte[] body, int offset, int length, JacksonException streamed) {
    JacksonException e = streamed;
    try (JsonParser parser = filtered(body, offset, length)) {
      Json.MAPPER.readTree(parser);
    } catch (JacksonException whole) {
      e = whole;
    }
    return new BadReviewException(
        Json.tooDeep(e) ? Json.TOO_DEEP : "malformed JSON: " + firstLine(e.getOriginalMessage()));
  }

  /** The review's top level: what is checked, and the request. */
  private static final class Review {
    boolean isObject;
    String apiVersion;
    String kind;
    Request request;

    static Review read(JsonParser p) {
      Review review = new Review();
      JsonToken token = p.nextToken();
      review.isObject = token == JsonToken.START_OBJECT;
      if (review.isObject) {
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
          String field = p.currentName();
          JsonToken value = p.nextToken();
          // a field given twice counts with its last value, as in a tree
          switch (field) {
            case "apiVersion" -> review.apiVersion = string(p, value);
            case "kind" -> review.kind = string(p, value);
            case "request" -> review.request = Request.read(p, value);
            default -> p.skipChildren();
          }
        }
      } else if (token != null) {
        p.skipChildren();
      }
      if (token != null && p.nextToken() != null) {
        throw new TrailingTokenException(p);
      }
      return review;
    }
  }

  /** The request's fields the handlers read; null for a request that is not an object. */
  private static final class Request {
    String uid;
    String operation;
    String namespace;
    String name;
    String group;
    String version;
    String kind;
    boolean dryRun;
    JsonNode object;
    JsonNode oldObject;
    String user;

    static Request read(JsonParser p, JsonToken start) {
      if (start != JsonToken.START_OBJECT) {
        p.skipChildren();
        return null;
      }
      Request r = new Request();
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "uid" -> r.uid = string(p, value);
          case "operation" -> r.operation = string(p, value);
          case "namespace" -> r.namespace = string(p, value);
          case "name" -> r.name = string(p, value);
          case "kind" -> r.kind(p, value);
          case "dryRun" -> {
            r.dryRun = value == JsonToken.VALUE_TRUE;
            p.skipChildren();
          }
          case "object" -> r.object = tree(p, value);
          case "oldObject" -> r.oldObject = tree(p, value);
          case "userInfo" -> r.user(p, value);
          default -> p.skipChildren();
        }
      }
      return r;
    }

    private void kind(JsonParser p, JsonToken start) {
      group = null;
      version = null;
      kind = null;
      if (start != JsonToken.START_OBJECT) {
        p.skipChildren();
        return;
      }
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "group" -> group = string(p, value);
          case "version" -> version = string(p, value);
          case "kind" -> kind = string(p, value);
          default -> p.skipChildren();
        }
      }
    }

    private void user(JsonParser p, JsonToken start) {
      user = null;
      if (start != JsonToken.START_OBJECT) {
        p.skipChildren();
        return;
      }
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("username".equals(field)) {
          user = string(p, value);
        } else {
          p.skipChildren();
        }
      }
    }
  }

  /** The string value at the parser, or null (the value skipped) when it is not a string. */
  private static String string(JsonParser p, JsonToken value) {
    if (value == JsonToken.VALUE_STRING) {
      return p.getString();
    }
    p.skipChildren();
    return null;
  }

  /** The value at the parser as a tree; null for JSON null. */
  private static JsonNode tree(JsonParser p, JsonToken value) {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    JsonNode node = p.readValueAsTree();
    return node == null || node.isNull() ? null : node;
  }

  /** More JSON after the review: refused, as reading it as one tree refuses it. */
  private static final class TrailingTokenException
      extends tools.jackson.core.exc.StreamReadException {
    private static final long serialVersionUID = 1L;

    TrailingTokenException(JsonParser p) {
      super(p, "trailing token after the review");
    }
  }

  public static byte[] encode(AdmissionRequest request, AdmissionResponse response) {
    byte[] patch =
        response.patch() == null ? null : Json.MAPPER.writeValueAsBytes(response.patch());
    ByteArrayBuilder bytes = new ByteArrayBuilder(sizeHint(request, response, patch));
    try (JsonGenerator out = Json.MAPPER.createGenerator(bytes)) {
      out.writeStartObject();
      out.writeStringProperty("apiVersion", request.apiVersion());
      out.writeStringProperty("kind", "AdmissionReview");
      out.writeName("response");
      out.writeStartObject();
      out.writeStringProperty("uid", request.uid());
      out.writeBooleanProperty("allowed", response.allowed());
      if (!response.allowed()) {
        out.writeName("status");
        out.writeStartObject();
        out.writeNumberProperty("code", response.code());
        out.writeStringProperty("reason", response.reason());
        out.writeStringProperty("message", response.message());
        out.writeEndObject();
      }
      if (patch != null) {
        out.writeStringProperty("patchType", "JSONPatch");
        out.writeName("patch");
        // base64 with padding, no line breaks: what java.util.Base64's basic encoder writes
        out.writeBinary(patch);
      }
      if (!response.warnings().isEmpty()) {
        out.writeName("warnings");
        out.writeStartArray();
        for (String warning : response.warnings()) {
          out.writeString(warning);
        }
        out.writeEndArray();
      }
      if (!response.auditAnnotations().isEmpty()) {
        out.writeName("auditAnnotations");
        out.writeStartObject();
        for (Map.Entry<String, String> e : response.auditAnnotations().entrySet()) {
          out.writeStringProperty(e.getKey(), e.getValue());
        }
        out.writeEndObject();
      }
      out.writeEndObject();
      out.writeEndObject();
    }
    return bytes.toByteArray();
  }

  /**
   * About the answer's length, so that its buffer is allocated once and copied once: the envelope,
   * the base64 patch and the texts (ASCII in the common case).
   */
  private static int sizeHint(AdmissionRequest request, AdmissionResponse response, byte[] patch) {
    int size = 160 + request.uid().length();
    if (patch != null) {
      size += (patch.length + 2) / 3 * 4 + 32;
    }
    if (response.message() != null) {
      size += response.message().length() + 64;
    }
    for (String warning : response.warnings()) {
      size += warning.length() + 4;
    }
    return size + response.auditAnnotations().size() * 128;
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
