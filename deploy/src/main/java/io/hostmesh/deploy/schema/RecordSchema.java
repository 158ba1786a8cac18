package io.hostmesh.deploy.schema;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The JSON Schema (2020-12) of one record as {@code JsonRecordCodec} writes it (Jackson): record
 * components become required properties; Instant is a date-time string; enums their names;
 * List/Set arrays; Map objects; nested records {@code $defs}. Reference types may be null.
 * Object and Jackson's JsonNode become "any JSON".
 *
 * <p>Threading: not thread-safe, one per record. Failure: a component of a type with no JSON
 * form (a Topic, a Function) throws {@link IllegalArgumentException} naming it.
 */
final class RecordSchema {
  private final Map<String, JsonObject> defs = new TreeMap<>();

  /** The schema document of {@code type}, with {@code $id} {@code <FQCN>.json}. */
  static JsonObject of(Class<?> type) {
    RecordSchema s = new RecordSchema();
    JsonObject root = s.objectOf(type);
    JsonObject doc = new JsonObject()
        .put("$schema", "https://json-schema.org/draft/2020-12/schema")
        .put("$id", type.getName() + ".json")
        .put("title", type.getSimpleName());
    root.forEach(e -> doc.put(e.getKey(), e.getValue()));
    s.defs.remove(type.getName());
    if (!s.defs.isEmpty()) {
      JsonObject d = new JsonObject();
      s.defs.forEach(d::put);
      doc.put("$defs", d);
    }
    return doc;
  }

  private JsonObject objectOf(Class<?> type) {
    JsonObject props = new JsonObject();
    JsonArray required = new JsonArray();
    for (RecordComponent c : type.getRecordComponents()) {
      try {
        props.put(c.getName(), schemaOf(c.getGenericType()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(type.getName() + "." + c.getName() + ": " + e.getMessage(), e);
      }
      required.add(c.getName());
    }
    return new JsonObject().put("type", "object").put("properties", props).put("required", required)
        .put("additionalProperties", false);
  }

  private JsonObject schemaOf(Type t) {
    if (t instanceof Class<?> c) {
      if (c.isPrimitive()) {
        return primitive(c);
      }
      return nullable(nonNull(c));
    }
    if (t instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
      Type[] args = p.getActualTypeArguments();
      if (Collection.class.isAssignableFrom(raw)) {
        return nullable(new JsonObject().put("type", "array").put("items", schemaOf(args[0])));
      }
      if (Map.class.isAssignableFrom(raw)) {
        return nullable(new JsonObject().put("type", "object").put("additionalProperties", schemaOf(args[1])));
      }
      if (raw == Optional.class) {
        return schemaOf(args[0]);
      }
    }
    if (t instanceof WildcardType w) {
      return schemaOf(w.getUpperBounds()[0]);
    }
    if (t instanceof GenericArrayType a) {
      return nullable(new JsonObject().put("type", "array").put("items", schemaOf(a.getGenericComponentType())));
    }
    throw new IllegalArgumentException("no JSON form for " + t.getTypeName());
  }

  private JsonObject nonNull(Class<?> c) {
    if (c == String.class || c == Character.class) {
      return new JsonObject().put("type", "string");
    }
    if (c == Boolean.class) {
      return new JsonObject().put("type", "boolean");
    }
    if (c == Integer.class || c == Long.class || c == Short.class || c == Byte.class) {
      return new JsonObject().put("type", "integer");
    }
    if (Number.class.isAssignableFrom(c)) {
      return new JsonObject().put("type", "number");
    }
    if (c == Instant.class) {
      return new JsonObject().put("type", "string").put("format", "date-time");
    }
    if (c == Duration.class) {
      // Jackson's default for Duration: seconds as a decimal number
      return new JsonObject().put("type", "number");
    }
    if (c.isEnum()) {
      JsonArray names = new JsonArray();
      for (Object e : c.getEnumConstants()) {
        names.add(((Enum<?>) e).name());
      }
      return new JsonObject().put("type", "string").put("enum", names);
    }
    if (c.isArray()) {
      return new JsonObject().put("type", "array").put("items", schemaOf(c.getComponentType()));
    }
    if (c.isRecord()) {
      if (!defs.containsKey(c.getName())) {
        defs.put(c.getName(), new JsonObject()); // placeholder: recursion ends here
        defs.put(c.getName(), objectOf(c));
      }
      return new JsonObject().put("$ref", "#/$defs/" + c.getName());
    }
    if (c == Object.class || c.getName().startsWith("com.fasterxml.jackson.databind.")) {
      return new JsonObject(); // any JSON
    }
    throw new IllegalArgumentException("no JSON form for " + c.getName());
  }

  private static JsonObject primitive(Class<?> c) {
    if (c == boolean.class) {
      return new JsonObject().put("type", "boolean");
    }
    if (c == float.class || c == double.class) {
      return new JsonObject().put("type", "number");
    }
    if (c == char.class) {
      return new JsonObject().put("type", "string");
    }
    return new JsonObject().put("type", "integer");
  }

  private static JsonObject nullable(JsonObject s) {
    if (s.isEmpty()) {
      return s;
    }
    if (s.containsKey("$ref")) {
      return new JsonObject().put("anyOf", new JsonArray().add(s).add(new JsonObject().put("type", "null")));
    }
    Object type = s.getValue("type");
    if (type instanceof String str && !s.containsKey("enum")) {
      s.put("type", new JsonArray().add(str).add("null"));
      return s;
    }
    return new JsonObject().put("anyOf", new JsonArray().add(s).add(new JsonObject().put("type", "null")));
  }
}
