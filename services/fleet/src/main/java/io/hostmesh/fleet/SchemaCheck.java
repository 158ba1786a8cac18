package io.hostmesh.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Applies a JSON Schema (the subset the shipped scenario schema uses: {@code type},
 * {@code properties}, {@code required}, {@code additionalProperties}, {@code items},
 * {@code minItems}, {@code minimum}, {@code maximum}, {@code exclusiveMinimum}, {@code enum},
 * {@code pattern}, {@code anyOf}, local {@code $ref}) and names the JSON pointer of each
 * violation, so the schema file is the rules and not a copy of them.
 *
 * <p>Threading: stateless apart from the schema; safe from any thread.
 */
final class SchemaCheck {
  /** One violation: where, and what is wrong, in words. */
  record Violation(String pointer, String message) {
    @Override
    public String toString() {
      return (pointer.isEmpty() ? "/" : pointer) + ": " + message;
    }
  }

  private final JsonNode root;

  SchemaCheck(JsonNode schema) {
    this.root = schema;
  }

  List<Violation> check(JsonNode value) {
    List<Violation> out = new ArrayList<>();
    check(root, value, "", out);
    return out;
  }

  private JsonNode deref(JsonNode s) {
    int guard = 0;
    while (s.has("$ref") && guard++ < 16) {
      String ref = s.get("$ref").asText();
      s = root.at(ref.substring(1));
    }
    return s;
  }

  private void check(JsonNode schema, JsonNode v, String at, List<Violation> out) {
    JsonNode s = deref(schema);
    if (s.has("anyOf")) {
      for (JsonNode alt : s.get("anyOf")) {
        List<Violation> tmp = new ArrayList<>();
        check(alt, v, at, tmp);
        if (tmp.isEmpty()) {
          return;
        }
      }
      // the branch of the value's own type explains best; else name the kinds accepted
      for (JsonNode alt : s.get("anyOf")) {
        JsonNode a = deref(alt);
        if (a.has("type") && typeMatches(a.get("type"), v)) {
          check(a, v, at, out);
          return;
        }
      }
      out.add(new Violation(at, s.has("description") ? "must be " + s.get("description").asText()
          : "matches none of the allowed forms") );
      return;
    }
    if (s.has("type") && !typeMatches(s.get("type"), v)) {
      out.add(new Violation(at, "must be " + typeWords(s.get("type")) + ", found " + kind(v)));
      return;
    }
    if (s.has("enum")) {
      boolean found = false;
      List<String> words = new ArrayList<>();
      for (JsonNode e : s.get("enum")) {
        found |= e.equals(v);
        words.add(e.toString());
      }
      if (!found) {
        out.add(new Violation(at, "must be one of " + String.join(", ", words) + ", found " + v));
        return;
      }
    }
    if (v.isNumber()) {
      double d = v.asDouble();
      if (s.has("minimum") && d < s.get("minimum").asDouble()) {
        out.add(new Violation(at, "must be at least " + s.get("minimum").asText() + ", found " + v));
      }
      if (s.has("exclusiveMinimum") && d <= s.get("exclusiveMinimum").asDouble()) {
        out.add(new Violation(at, "must be more than " + s.get("exclusiveMinimum").asText() + ", found " + v));
      }
      if (s.has("maximum") && d > s.get("maximum").asDouble()) {
        out.add(new Violation(at, "must be at most " + s.get("maximum").asText() + ", found " + v));
      }
    }
    if (v.isTextual() && s.has("pattern") && !Pattern.compile(s.get("pattern").asText()).matcher(v.asText()).find()) {
      out.add(new Violation(at, "does not match " + s.get("pattern").asText() + ": " + v));
    }
    if (v.isArray()) {
      if (s.has("minItems") && v.size() < s.get("minItems").asInt()) {
        out.add(new Violation(at, "must have at least " + s.get("minItems").asInt() + " item(s)"));
      }
      if (s.has("items")) {
        for (int i = 0; i < v.size(); i++) {
          check(s.get("items"), v.get(i), at + "/" + i, out);
        }
      }
    }
    if (v.isObject()) {
      if (s.has("required")) {
        for (JsonNode r : s.get("required")) {
          if (!v.has(r.asText())) {
            out.add(new Violation(at + "/" + escape(r.asText()), "is required"));
          }
        }
      }
      JsonNode props = s.get("properties");
      for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String p = at + "/" + escape(e.getKey());
        if (props != null && props.has(e.getKey())) {
          check(props.get(e.getKey()), e.getValue(), p, out);
        } else if (s.has("additionalProperties") && s.get("additionalProperties").isBoolean()
            && !s.get("additionalProperties").asBoolean()) {
          List<String> known = new ArrayList<>();
          if (props != null) {
            props.fieldNames().forEachRemaining(known::add);
          }
          out.add(new Violation(p, "is not a known key (known: " + String.join(", ", known) + ")"));
        }
      }
    }
  }

  private static boolean typeMatches(JsonNode type, JsonNode v) {
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (typeMatches(t, v)) {
          return true;
        }
      }
      return false;
    }
    return switch (type.asText()) {
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isTextual();
      case "boolean" -> v.isBoolean();
      case "null" -> v.isNull();
      case "integer" -> v.isIntegralNumber() || (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()));
      case "number" -> v.isNumber();
      default -> false;
    };
  }

  private static String typeWords(JsonNode type) {
    if (type.isArray()) {
      List<String> w = new ArrayList<>();
      type.forEach(t -> w.add(article(t.asText())));
      return String.join(" or ", w);
    }
    return article(type.asText());
  }

  private static String article(String t) {
    return (t.equals("object") || t.equals("array") || t.equals("integer") ? "an " : "a ") + t;
  }

  static String kind(JsonNode v) {
    if (v.isObject()) {
      return "an object";
    } else if (v.isArray()) {
      return "an array";
    } else if (v.isTextual()) {
      return "a string";
    } else if (v.isBoolean()) {
      return "a boolean";
    } else if (v.isNull()) {
      return "null";
    }
    return "a number";
  }

  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
