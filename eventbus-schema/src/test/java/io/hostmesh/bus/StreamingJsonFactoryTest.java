package io.hostmesh.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.DatabindCodec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Vert.x's JSON runs on the streaming codec, and what only data binding can do still works as it
 * did: a record put into a {@code JsonObject} is written, and JSON is read into a record, exactly
 * as Vert.x's data-binding codec does it.
 */
class StreamingJsonFactoryTest {
  record Sample(String name, int count, List<String> tags) {}

  @Test
  void vertxUsesTheStreamingCodec() {
    assertInstanceOf(StreamingJsonFactory.Codec.class, Json.CODEC);
  }

  @Test
  void plainJsonIsWrittenAndReadAsTheDataBindingCodecDoesIt() {
    DatabindCodec binding = new DatabindCodec();
    JsonObject o = new JsonObject().put("a", 1).put("b", new JsonArray().add("x").add(2.5).addNull())
        .put("c", Map.of("d", true)).put("t", Instant.parse("2026-11-30T10:00:00Z")).put("bytes", new byte[] {1, 2});
    assertEquals(binding.toString(o, false), o.encode());
    assertEquals(binding.toString(o, true), o.encodePrettily());
    assertEquals(binding.fromString(o.encode(), Object.class), Json.decodeValue(o.encode()));
  }

  @Test
  void aRecordInAJsonObjectAndJsonReadIntoARecordGoToDataBinding() {
    DatabindCodec binding = new DatabindCodec();
    JsonObject o = new JsonObject().put("sample", new Sample("s", 3, List.of("x")));
    assertEquals(binding.toString(o, false), o.encode());
    assertEquals("{\"sample\":{\"name\":\"s\",\"count\":3,\"tags\":[\"x\"]}}", o.encode());
    assertEquals(new Sample("s", 3, List.of("x")), Json.decodeValue("{\"name\":\"s\",\"count\":3,\"tags\":[\"x\"]}", Sample.class));
    assertEquals(new Sample("t", 1, List.of()), new JsonObject().put("name", "t").put("count", 1).put("tags", new JsonArray())
        .mapTo(Sample.class));
  }
}
