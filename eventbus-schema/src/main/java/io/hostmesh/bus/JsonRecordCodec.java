package io.hostmesh.bus;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The wire form of every hostmesh record: the class name, then the record as JSON (Jackson).
 * Used when a message crosses a cluster or a bridge; in one JVM {@link RecordCodec} passes
 * records by reference. Instants travel as ISO-8601 strings.
 *
 * <p>Records are written with the streaming generator ({@link RecordJson}: the mapper's text,
 * without its classes); the mapper itself is built only when something is read back into a type.
 */
public final class JsonRecordCodec implements MessageCodec<Object, Object> {
  public static final String NAME = "hostmesh-json";
  static final JsonRecordCodec INSTANCE = new JsonRecordCodec();

  /** Built on first use: local delivery never needs it, and building it costs a good part of start-up. */
  private static final class Holder {
    static final ObjectMapper MAPPER = newMapper();
  }

  /** The mapper used for records on the wire and in the HTTP API. */
  public static ObjectMapper mapper() {
    return Holder.MAPPER;
  }

  private static ObjectMapper newMapper() {
    ObjectMapper m = new ObjectMapper();
    m.registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule());
    m.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    m.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    return m;
  }

  /** JSON bytes of a record (or a map, list or plain value), as the mapper writes them. */
  public static byte[] toJson(Object o) {
    try {
      return RecordJson.write(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A record read back from JSON. */
  public static <T> T fromJson(byte[] json, Class<T> type) {
    try {
      return mapper().readValue(json, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, Object o) {
    byte[] cls = o.getClass().getName().getBytes(StandardCharsets.UTF_8);
    byte[] json = toJson(o);
    buffer.appendInt(cls.length).appendBytes(cls).appendInt(json.length).appendBytes(json);
  }

  @Override
  public Object decodeFromWire(int pos, Buffer buffer) {
    int clsLen = buffer.getInt(pos);
    String cls = buffer.getString(pos + 4, pos + 4 + clsLen, "UTF-8");
    int jsonPos = pos + 4 + clsLen;
    int jsonLen = buffer.getInt(jsonPos);
    byte[] json = buffer.getBytes(jsonPos + 4, jsonPos + 4 + jsonLen);
    try {
      return fromJson(json, Class.forName(cls, false, JsonRecordCodec.class.getClassLoader()));
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("unknown record type on the wire: " + cls, e);
    }
  }

  @Override
  public Object transform(Object o) {
    return o;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
