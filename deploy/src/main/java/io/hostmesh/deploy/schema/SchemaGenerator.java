package io.hostmesh.deploy.schema;

import io.hostmesh.bus.Topic;
import io.hostmesh.deploy.bridge.EventBusBridgeHook;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.schema.unit.UnitStateChanged;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Writes a JSON Schema for every message record under {@code io.hostmesh.schema} into a folder
 * ({@code <FQCN>.json}), and {@code index.json} mapping each catalogue topic's address to its
 * schema. Run at build time by exec-maven-plugin into {@code target/classes/schemas}, so the
 * schemas ship inside hostmesh.jar (and the image) under {@code /schemas/}.
 *
 * <p>Failure: exits non-zero when the output cannot be written; records with no JSON form
 * (helpers like {@code Projections.Projection}) are listed in the index as skipped.
 */
public final class SchemaGenerator {
  private static final String PACKAGE = "io.hostmesh.schema.";

  private SchemaGenerator() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "target/classes/schemas");
    JsonObject index = write(out);
    System.out.println("hostmesh: " + index.getJsonObject("records").size() + " record schemas, "
        + index.getJsonArray("topics").size() + " topics -> " + out);
  }

  /** Writes every schema and the index into {@code out}; returns the index. */
  public static JsonObject write(Path out) throws IOException {
    Files.createDirectories(out);
    Map<String, String> records = new TreeMap<>();
    JsonArray skipped = new JsonArray();
    List<Class<?>> classes = schemaClasses();
    for (Class<?> c : classes) {
      if (!c.isRecord() || !Modifier.isPublic(c.getModifiers())) {
        continue;
      }
      try {
        JsonObject schema = RecordSchema.of(c);
        String file = c.getName() + ".json";
        Files.writeString(out.resolve(file), schema.encodePrettily() + "\n");
        records.put(c.getName(), file);
      } catch (IllegalArgumentException e) {
        skipped.add(new JsonObject().put("record", c.getName()).put("why", e.getMessage()));
      }
    }
    JsonArray topics = new JsonArray();
    for (Class<?> c : classes) {
      for (Field f : c.getFields()) {
        if (Modifier.isStatic(f.getModifiers()) && Topic.class.isAssignableFrom(f.getType())) {
          Topic<?> t = (Topic<?>) get(f);
          topics.add(new JsonObject().put("address", t.address()).put("kind", t.kind().name().toLowerCase())
              .put("type", t.type().getName()).put("schema", records.get(t.type().getName())));
        } else if (Modifier.isStatic(f.getModifiers()) && f.getType() == Topic.Request.class) {
          Topic.Request<?, ?> r = (Topic.Request<?, ?>) get(f);
          topics.add(new JsonObject().put("address", r.address()).put("kind", "request")
              .put("type", r.topic().type().getName()).put("schema", records.get(r.topic().type().getName()))
              .put("replyType", r.replyType().getName()).put("replySchema", records.get(r.replyType().getName())));
        }
      }
    }
    // the bridge's JSON copies (see EventBusBridgeHook)
    topics.add(new JsonObject().put("address", EventBusBridgeHook.STATE_CHANGES).put("kind", "event")
        .put("type", UnitStateChanged.class.getName()).put("schema", records.get(UnitStateChanged.class.getName())));
    topics.add(new JsonObject().put("address", EventBusBridgeHook.LOG).put("kind", "event")
        .put("type", io.hostmesh.schema.unit.LogLine.class.getName())
        .put("schema", records.get(io.hostmesh.schema.unit.LogLine.class.getName())));
    JsonObject recs = new JsonObject();
    records.forEach(recs::put);
    JsonObject index = new JsonObject().put("records", recs).put("topics", topics).put("skipped", skipped);
    Files.writeString(out.resolve("index.json"), index.encodePrettily() + "\n");
    return index;
  }

  private static Object get(Field f) {
    try {
      return f.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every class under io.hostmesh.schema, from the folder or jar that holds the catalogues. */
  static List<Class<?>> schemaClasses() throws IOException {
    Path where;
    try {
      where = Path.of(Targets.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(where)) {
      try (Stream<Path> s = Files.walk(where)) {
        s.map(p -> where.relativize(p).toString().replace('/', '.')).forEach(names::add);
      }
    } else {
      try (JarFile jar = new JarFile(where.toFile())) {
        jar.stream().map(e -> e.getName().replace('/', '.')).forEach(names::add);
      }
    }
    List<Class<?>> out = new ArrayList<>();
    for (String n : names.stream().filter(n -> n.startsWith(PACKAGE) && n.endsWith(".class")).sorted().toList()) {
      try {
        out.add(Class.forName(n.substring(0, n.length() - ".class".length()), false, SchemaGenerator.class.getClassLoader()));
      } catch (ClassNotFoundException | LinkageError e) {
        throw new IOException("cannot load " + n + ": " + e, e);
      }
    }
    return out;
  }
}
