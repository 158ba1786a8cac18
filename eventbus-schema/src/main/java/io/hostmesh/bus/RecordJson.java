package io.hostmesh.bus;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.hostmesh.schema.config.JsonTrees;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Records, and the maps, collections and values in them, written as JSON with Jackson's streaming
 * generator: byte for byte what {@link JsonRecordCodec}'s {@code ObjectMapper} writes (record
 * components in their order, then methods marked {@link JsonProperty}; enums by name; instants
 * as ISO-8601; nulls written), without loading data binding on a device (about 900 classes, a
 * sixth of what it loads: resident memory and start-up time). A value of any other type (a
 * {@code Duration}, an {@code Optional}, a bean) is handed to that mapper, so the text never
 * changes; only the classes it costs do.
 *
 * <p>Threading: stateless, any thread.
 */
final class RecordJson {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final ClassValue<Property[]> PROPERTIES = new ClassValue<>() {
    @Override
    protected Property[] computeValue(Class<?> type) {
      return properties(type);
    }
  };

  private RecordJson() {}

  /** One JSON property of a record: its name and the method that reads it. */
  private record Property(String name, Method read) {}

  static byte[] write(Object value) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      value(g, value);
    }
    return out.toByteArray();
  }

  private static void value(JsonGenerator g, Object o) throws IOException {
    if (o instanceof Number n && JsonTrees.writeNumber(g, n)) {
      return; // a number of a standard kind; another kind goes to the mapper below
    }
    if (o == null) {
      g.writeNull();
    } else if (o instanceof String s) {
      g.writeString(s);
    } else if (o instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (o instanceof Enum<?> e) {
      g.writeString(e.name());
    } else if (o instanceof Instant t) {
      g.writeString(DateTimeFormatter.ISO_INSTANT.format(t));
    } else if (o instanceof Record r) {
      g.writeStartObject();
      for (Property p : PROPERTIES.get(r.getClass())) {
        g.writeFieldName(p.name());
        value(g, read(p, r));
      }
      g.writeEndObject();
    } else if (o instanceof Map<?, ?> m && keysArePlain(m)) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName(e.getKey() instanceof Enum<?> k ? k.name() : String.valueOf(e.getKey()));
        value(g, e.getValue());
      }
      g.writeEndObject();
    } else if (o instanceof Collection<?> c) {
      g.writeStartArray();
      for (Object e : c) {
        value(g, e);
      }
      g.writeEndArray();
    } else if (o instanceof Object[] a) {
      g.writeStartArray();
      for (Object e : a) {
        value(g, e);
      }
      g.writeEndArray();
    } else if (o instanceof JsonNode n) {
      JsonTrees.write(g, n);
    } else {
      JsonRecordCodec.mapper().writeValue(g, o); // anything else: the mapper's text, as before
    }
  }

  /** String, number and enum keys are written as the mapper writes them; others go to it. */
  private static boolean keysArePlain(Map<?, ?> m) {
    for (Object k : m.keySet()) {
      if (!(k instanceof String || k instanceof Enum<?> || k instanceof Integer || k instanceof Long)) {
        return false;
      }
    }
    return true;
  }

  private static Object read(Property p, Record r) throws IOException {
    try {
      return p.read().invoke(r);
    } catch (ReflectiveOperationException e) {
      throw new IOException("cannot read " + r.getClass().getName() + "." + p.name() + ": " + e, e);
    }
  }

  private static Property[] properties(Class<?> type) {
    List<Property> out = new ArrayList<>();
    for (RecordComponent c : type.getRecordComponents()) {
      Method m = c.getAccessor();
      JsonProperty named = m.getAnnotation(JsonProperty.class);
      out.add(new Property(named != null && !named.value().isEmpty() ? named.value() : c.getName(), accessible(m)));
    }
    // the mapper also writes the methods marked as properties, after the components
    for (Method m : type.getDeclaredMethods()) {
      JsonProperty named = m.getAnnotation(JsonProperty.class);
      if (named != null && m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())
          && out.stream().noneMatch(p -> p.read().getName().equals(m.getName()))) {
        out.add(new Property(named.value().isEmpty() ? m.getName() : named.value(), accessible(m)));
      }
    }
    return out.toArray(Property[]::new);
  }

  private static Method accessible(Method m) {
    m.setAccessible(true); // a record nested in a package-private class, as the mapper allows
    return m;
  }
}
