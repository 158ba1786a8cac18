package io.hostmesh.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.DatabindCodec;
import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.core.spi.JsonFactory;
import io.vertx.core.spi.json.JsonCodec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Vert.x's JSON ({@code JsonObject}, {@code JsonArray}, {@code Json.decodeValue}) on Jackson's
 * streaming parser and generator. With data binding on the class path Vert.x would pick its
 * data-binding codec and build an {@code ObjectMapper} at the first JSON it meets: about 560
 * classes a device never needs. Found by {@code ServiceLoader}
 * ({@code META-INF/services/io.vertx.core.spi.JsonFactory}).
 *
 * <p>Nothing changes for a caller: a value the streaming codec cannot write (a bean or a record
 * put into a {@code JsonObject}) and JSON read into a type of its own go to Vert.x's data-binding
 * codec, built then.
 */
public final class StreamingJsonFactory implements JsonFactory {
  private static final JsonCodec CODEC = new Codec();

  @Override
  public JsonCodec codec() {
    return CODEC;
  }

  /** Streaming first, data binding for what only it can do. */
  static final class Codec extends JacksonCodec {
    /** What the streaming codec reads into itself. */
    private static final Set<Class<?>> PLAIN = Set.of(Object.class, JsonObject.class, JsonArray.class, Map.class,
        List.class, String.class, Boolean.class, Number.class, Integer.class, Long.class, Double.class, Float.class);

    /** Built on first use: no device needs it. */
    private static final class Binding {
      static final DatabindCodec CODEC = new DatabindCodec();
    }

    @Override
    public String toString(Object object, boolean pretty) throws EncodeException {
      return streamingOr(() -> super.toString(object, pretty), () -> Binding.CODEC.toString(object, pretty));
    }

    @Override
    public Buffer toBuffer(Object object, boolean pretty) throws EncodeException {
      return streamingOr(() -> super.toBuffer(object, pretty), () -> Binding.CODEC.toBuffer(object, pretty));
    }

    /** The streaming codec's text, or data binding's for a value the streaming codec cannot write. */
    private static <T> T streamingOr(Supplier<T> streaming, Supplier<T> binding) {
      try {
        return streaming.get();
      } catch (EncodeException notPlain) {
        return binding.get();
      }
    }

    @Override
    public <T> T fromString(String json, Class<T> type) throws DecodeException {
      return PLAIN.contains(type) ? super.fromString(json, type) : Binding.CODEC.fromString(json, type);
    }

    @Override
    public <T> T fromBuffer(Buffer json, Class<T> type) throws DecodeException {
      return PLAIN.contains(type) ? super.fromBuffer(json, type) : Binding.CODEC.fromBuffer(json, type);
    }

    @Override
    public <T> T fromValue(Object json, Class<T> type) {
      return Binding.CODEC.fromValue(json, type);
    }
  }
}
