package io.hostmesh.deploy.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hostmesh.bus.JsonRecordCodec;
import io.hostmesh.mesh.JournalEntry;
import io.hostmesh.schema.config.ConfigDocument;
import io.hostmesh.schema.config.JsonTrees;
import io.hostmesh.schema.unit.LogLevel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The streaming writer of records ({@code JsonRecordCodec.toJson}) and of config.json trees
 * ({@code JsonTrees}) write byte for byte what Jackson's {@code ObjectMapper} wrote before them:
 * every record of the event-bus schema with sample values (and with every reference component
 * null), the journal entry's extra {@code bootId}, maps, lists, Vert.x JSON handed to the mapper,
 * and config.json read, written and pretty-printed. The API's JSON does not change by leaving
 * data binding out of a device.
 */
class RecordJsonTest {
  private static final Instant T = Instant.parse("2026-11-30T09:15:42.123456789Z");

  @Test
  void everySchemaRecordIsWrittenAsTheMapperWroteIt() throws Exception {
    int compared = 0;
    List<String> unbuilt = new ArrayList<>();
    for (Class<?> c : SchemaGenerator.schemaClasses()) {
      if (!c.isRecord()) {
        continue;
      }
      for (boolean nulls : new boolean[] {false, true}) {
        Object sample;
        try {
          sample = sample(c, nulls, 0);
        } catch (ReflectiveOperationException | RuntimeException e) {
          unbuilt.add(c.getSimpleName() + (nulls ? " (nulls)" : "") + ": " + e);
          continue;
        }
        assertSame(sample);
        compared++;
      }
    }
    assertTrue(compared >= 60, "records compared: " + compared + "; not built: " + unbuilt);
  }

  @Test
  void otherShapesAreWrittenAsTheMapperWroteThem() throws Exception {
    assertSame(new JournalEntry(7, "b00t", "chronyd", LogLevel.WARN, "tab\t\"quote\" é \u0001", T, 12));
    assertSame(Map.of("stopping", true, "boot", "abc"));
    Map<Object, Object> mixed = new LinkedHashMap<>();
    mixed.put("n", null);
    mixed.put(LogLevel.INFO, List.of(1, 2L, 3.5, 1.0e20, Double.NaN, -0.0f));
    mixed.put(42, Set.of("x"));
    assertSame(mixed);
    assertSame(List.of(new JournalEntry(1, "b", "u", LogLevel.INFO, "m", T, 0), Map.of()));
    assertSame(new Object[] {"a", 1, null});
    assertSame(Duration.ofMillis(1500)); // handed to the mapper
    assertSame(new JsonObject().put("a", 1).put("b", new JsonArray().add("c"))); // handed to the mapper
    JsonNode tree = JsonTrees.read("{\"a\":[1,2.5,\"x\",null,true,{\"b\":{}}],\"c\":12345678901234567890}");
    assertSame(tree);
    assertSame(Map.of("tree", tree));
  }

  @Test
  void configTreesAreReadAndWrittenAsTheMapperDidIt() throws Exception {
    String text = "{\"hostname\":\"dev\",\"os\":{\"sshKeys\":[\"ssh-ed25519 AAAA x\"],\"udevRules\":{\"56\":\"A\\nB\"}},"
        + "\"n\":-12,\"big\":123456789012345678901234567890,\"f\":0.1,\"e\":1e3,\"t\":true,\"z\":null,\"u\":\"\\u00e9\\u2028\"}";
    JsonNode mine = JsonTrees.read(text);
    JsonNode theirs = ConfigDocument.mapper().readTree(text);
    assertEquals(theirs, mine);
    assertEquals(new String(ConfigDocument.mapper().writeValueAsBytes(theirs), StandardCharsets.UTF_8),
        new String(JsonTrees.bytes(mine), StandardCharsets.UTF_8));
    assertEquals(ConfigDocument.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(theirs), JsonTrees.pretty(mine));
    assertEquals(ConfigDocument.mapper().convertValue(theirs, LinkedHashMap.class), JsonTrees.plain(mine));
    assertEquals(theirs, JsonTrees.tree(JsonTrees.plain(mine)));
  }

  private static void assertSame(Object value) throws Exception {
    String theirs = new String(JsonRecordCodec.mapper().writeValueAsBytes(value), StandardCharsets.UTF_8);
    String mine = new String(JsonRecordCodec.toJson(value), StandardCharsets.UTF_8);
    assertEquals(theirs, mine, value.getClass().getName());
  }

  /** A record with a value for every component (or null for every reference one). */
  private static Object sample(Class<?> type, boolean nulls, int depth) throws ReflectiveOperationException {
    RecordComponent[] cs = type.getRecordComponents();
    Class<?>[] types = new Class<?>[cs.length];
    Object[] args = new Object[cs.length];
    for (int i = 0; i < cs.length; i++) {
      types[i] = cs[i].getType();
      args[i] = nulls && !types[i].isPrimitive() ? null : value(cs[i].getGenericType(), cs[i].getName(), depth);
    }
    Constructor<?> k = type.getDeclaredConstructor(types);
    k.setAccessible(true);
    try {
      return k.newInstance(args);
    } catch (java.lang.reflect.InvocationTargetException refused) {
      if (!nulls) {
        throw refused;
      }
      return sample(type, false, depth); // a record that refuses nulls: its values then
    }
  }

  private static Object value(Type t, String name, int depth) throws ReflectiveOperationException {
    if (t instanceof WildcardType w) {
      return value(w.getUpperBounds()[0], name, depth);
    }
    if (t instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] a = p.getActualTypeArguments();
      if (List.class.isAssignableFrom(raw) || raw == java.util.Collection.class) {
        return List.of(value(a[0], name, depth + 1));
      }
      if (Set.class.isAssignableFrom(raw)) {
        return Set.of(value(a[0], name, depth + 1));
      }
      if (Map.class.isAssignableFrom(raw)) {
        Object key = a[0] instanceof Class<?> kc && kc.isEnum() ? kc.getEnumConstants()[0] : "k-" + name;
        return Map.of(key, value(a[1], name, depth + 1));
      }
      if (raw == Optional.class) {
        return Optional.of(value(a[0], name, depth + 1));
      }
      return value(raw, name, depth);
    }
    Class<?> c = (Class<?>) t;
    if (c == String.class) {
      return "v \"" + name + "\"\n é";
    }
    if (c == int.class || c == Integer.class) {
      return 7;
    }
    if (c == long.class || c == Long.class) {
      return 1_234_567_890_123L;
    }
    if (c == double.class || c == Double.class) {
      return 0.25;
    }
    if (c == float.class || c == Float.class) {
      return 1.5f;
    }
    if (c == boolean.class || c == Boolean.class) {
      return true;
    }
    if (c == short.class || c == Short.class) {
      return (short) 3;
    }
    if (c == Instant.class) {
      return T;
    }
    if (c == Duration.class) {
      return Duration.ofMillis(2500);
    }
    if (c.isEnum()) {
      Object[] k = c.getEnumConstants();
      return k[k.length - 1];
    }
    if (c == JsonNode.class || c == Object.class) {
      return JsonNodeFactory.instance.objectNode().put("k", name);
    }
    if (c.isRecord() && depth < 4) {
      return sample(c, false, depth + 1);
    }
    if (c.isRecord()) {
      return null;
    }
    throw new IllegalArgumentException("no sample for " + c.getName() + " (" + name + ")");
  }
}
