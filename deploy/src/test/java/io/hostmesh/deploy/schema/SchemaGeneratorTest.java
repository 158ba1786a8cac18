package io.hostmesh.deploy.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.unit.UnitStateChanged;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaGeneratorTest {
  @TempDir Path out;

  @Test
  void everyCatalogueTopicHasASchema() throws Exception {
    JsonObject index = SchemaGenerator.write(out);
    JsonArray topics = index.getJsonArray("topics");
    assertTrue(topics.size() > 10, topics.encode());
    for (Object o : topics) {
      JsonObject t = (JsonObject) o;
      assertTrue(t.getString("schema") != null, "no schema for " + t.encode());
      assertTrue(Files.exists(out.resolve(t.getString("schema"))), t.encode());
    }
    assertEquals(1, index.getJsonArray("skipped").size(), "only the Projection helper has no JSON form: " + index.getJsonArray("skipped"));
  }

  @Test
  void unitStateChangedSchema() throws Exception {
    SchemaGenerator.write(out);
    JsonObject s = new JsonObject(Files.readString(out.resolve(UnitStateChanged.class.getName() + ".json")));
    JsonObject p = s.getJsonObject("properties");
    assertEquals("date-time", p.getJsonObject("wallTime").getString("format"));
    assertEquals("integer", p.getJsonObject("uptimeMillis").getString("type"));
    assertTrue(p.getJsonObject("state").encode().contains("\"FAILED\""));
    assertEquals(6, s.getJsonArray("required").size());
    assertEquals(false, s.getBoolean("additionalProperties"));
  }

  @Test
  void nestedRecordsListsAndMapsBecomeDefsArraysAndObjects() {
    record Inner(String name) {}
    record Outer(java.util.List<Inner> items, java.util.Map<String, Long> counts, boolean on, double ratio) {}
    JsonObject s = RecordSchema.of(Outer.class);
    JsonObject p = s.getJsonObject("properties");
    assertTrue(p.getJsonObject("items").encode().contains("#/$defs/"), p.encode());
    assertEquals("integer", p.getJsonObject("counts").getJsonObject("additionalProperties").getJsonArray("type").getString(0));
    assertEquals("boolean", p.getJsonObject("on").getString("type"));
    assertEquals("number", p.getJsonObject("ratio").getString("type"));
    assertTrue(s.getJsonObject("$defs").containsKey(Inner.class.getName()));
  }
}
