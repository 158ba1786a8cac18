package io.hostmesh.schema.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON trees read and written with Jackson's streaming parser and generator, as config.json is:
 * strict (one value, nothing after it, no duplicate keys, nesting at most 64 deep, no NaN), keys
 * in document order.
 *
 * <p>Why not Jackson's {@code ObjectMapper}: building one and reading a tree through it loads
 * about 560 classes of data binding (900 with records), a sixth of all a device loads; every
 * class costs resident memory (the start-up archive maps them all) and start-up time. The tree
 * classes themselves are a few dozen. The trees and the errors are the ones the mapper gave.
 *
 * <p>Threading: stateless, any thread.
 */
public final class JsonTrees {
  private static final JsonFactory FACTORY = strictFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonTrees() {}

  /**
   * A new factory with config.json's strictness: no duplicate keys, nesting at most 64 deep (a
   * config.json is small; absurd nesting is refused before it costs stack), no NaN (Jackson's
   * default). The same for the trees here and for {@link ConfigDocument#mapper()}.
   */
  static JsonFactory strictFactory() {
    return JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
        .build();
  }

  /**
   * The one JSON value in {@code bytes}, or null when there is none (empty or only white space).
   *
   * @throws JsonParseException when it is not JSON, holds a duplicate key, nests too deep, or
   *     has anything after the value (the message says what, its location where)
   */
  public static JsonNode read(byte[] bytes) throws IOException {
    try (JsonParser p = FACTORY.createParser(bytes)) {
      return read(p);
    }
  }

  /** As {@link #read(byte[])}, from text. */
  public static JsonNode read(String text) throws IOException {
    try (JsonParser p = FACTORY.createParser(text)) {
      return read(p);
    }
  }

  private static JsonNode read(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t == null) {
      return null;
    }
    JsonNode value = value(p, t);
    JsonToken after = p.nextToken();
    if (after != null) {
      throw new JsonParseException(p, "trailing content after the JSON value (" + after.asString() + "...)",
          p.currentTokenLocation());
    }
    return value;
  }

  private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT -> {
        ObjectNode o = NODES.objectNode();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          String name = p.currentName();
          o.set(name, value(p, p.nextToken()));
        }
        return o;
      }
      case START_ARRAY -> {
        ArrayNode a = NODES.arrayNode();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          a.add(value(p, e));
        }
        return a;
      }
      case VALUE_STRING -> {
        return NODES.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return switch (p.getNumberType()) {
          case INT -> NODES.numberNode(p.getIntValue());
          case LONG -> NODES.numberNode(p.getLongValue());
          default -> NODES.numberNode(p.getBigIntegerValue());
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        return NODES.numberNode(p.getDoubleValue());
      }
      case VALUE_TRUE -> {
        return NODES.booleanNode(true);
      }
      case VALUE_FALSE -> {
        return NODES.booleanNode(false);
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> throw new JsonParseException(p, "unexpected " + t, p.currentTokenLocation());
    }
  }

  /** The tree as compact JSON (UTF-8), keys in their order. */
  public static byte[] bytes(JsonNode tree) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      write(g, tree);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
    return out.toByteArray();
  }

  /** The tree as indented text, as the mapper's default pretty printer writes it. */
  public static String pretty(JsonNode tree) {
    java.io.StringWriter out = new java.io.StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out).useDefaultPrettyPrinter()) {
      write(g, tree);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
    return out.toString();
  }

  /** Writes {@code tree} to {@code g}: objects, arrays, text, numbers, booleans and null. */
  public static void write(JsonGenerator g, JsonNode tree) throws IOException {
    switch (tree.getNodeType()) {
      case OBJECT -> {
        g.writeStartObject();
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          g.writeFieldName(e.getKey());
          write(g, e.getValue());
        }
        g.writeEndObject();
      }
      case ARRAY -> {
        g.writeStartArray();
        for (JsonNode e : tree) {
          write(g, e);
        }
        g.writeEndArray();
      }
      case STRING -> g.writeString(tree.textValue());
      case NUMBER -> {
        if (!writeNumber(g, tree.numberValue())) {
          g.writeNumber(tree.numberValue().doubleValue());
        }
      }
      case BOOLEAN -> g.writeBoolean(tree.booleanValue());
      case NULL, MISSING -> g.writeNull();
      default -> throw new IOException("cannot write a " + tree.getNodeType() + " node as JSON");
    }
  }

  /**
   * Writes a number of one of the JDK's standard kinds as the mapper writes it; false, with
   * nothing written, for another kind of {@link Number}.
   */
  public static boolean writeNumber(JsonGenerator g, Number n) throws IOException {
    if (n instanceof Integer || n instanceof Short || n instanceof Byte) {
      g.writeNumber(n.intValue());
    } else if (n instanceof Long l) {
      g.writeNumber(l);
    } else if (n instanceof Double d) {
      g.writeNumber(d);
    } else if (n instanceof Float f) {
      g.writeNumber(f);
    } else if (n instanceof BigInteger b) {
      g.writeNumber(b);
    } else if (n instanceof BigDecimal d) {
      g.writeNumber(d);
    } else {
      return false;
    }
    return true;
  }

  /** The tree as plain Java values: maps (in key order), lists, strings, numbers, booleans, null. */
  public static Object plain(JsonNode tree) {
    switch (tree.getNodeType()) {
      case OBJECT -> {
        Map<String, Object> m = new LinkedHashMap<>();
        tree.fields().forEachRemaining(e -> m.put(e.getKey(), plain(e.getValue())));
        return m;
      }
      case ARRAY -> {
        List<Object> l = new ArrayList<>(tree.size());
        tree.forEach(e -> l.add(plain(e)));
        return l;
      }
      case STRING -> {
        return tree.textValue();
      }
      case NUMBER -> {
        return tree.numberValue();
      }
      case BOOLEAN -> {
        return tree.booleanValue();
      }
      default -> {
        return null;
      }
    }
  }

  /** Plain Java values (maps, collections, strings, numbers, booleans, null) as a tree. */
  public static JsonNode tree(Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    if (value instanceof JsonNode n) {
      return n.deepCopy();
    }
    if (value instanceof Map<?, ?> m) {
      ObjectNode o = NODES.objectNode();
      m.forEach((k, v) -> o.set(String.valueOf(k), tree(v)));
      return o;
    }
    if (value instanceof Collection<?> c) {
      ArrayNode a = NODES.arrayNode();
      c.forEach(e -> a.add(tree(e)));
      return a;
    }
    if (value instanceof String s) {
      return NODES.textNode(s);
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof Integer i) {
      return NODES.numberNode(i);
    }
    if (value instanceof Long l) {
      return NODES.numberNode(l);
    }
    if (value instanceof BigInteger b) {
      return NODES.numberNode(b);
    }
    if (value instanceof BigDecimal d) {
      return NODES.numberNode(d);
    }
    if (value instanceof Number n) {
      return NODES.numberNode(n.doubleValue());
    }
    throw new IllegalArgumentException("not a plain JSON value: " + value.getClass().getName());
  }
}
