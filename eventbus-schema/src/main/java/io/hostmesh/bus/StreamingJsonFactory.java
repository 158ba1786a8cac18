package io.hostmesh.bus;

import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.core.spi.JsonFactory;
import io.vertx.core.spi.json.JsonCodec;

/**
 * Vert.x's JSON ({@code JsonObject}, {@code JsonArray}, {@code Json.decodeValue}) on Jackson's
 * streaming parser and generator only. With data binding on the class path, Vert.x would pick
 * its data-binding codec and build an {@code ObjectMapper} at the first JSON it meets: about
 * 560 classes a device never needs (hostmesh binds no JSON to types through Vert.x). Found by
 * {@code ServiceLoader} ({@code META-INF/services/io.vertx.core.spi.JsonFactory}).
 */
public final class StreamingJsonFactory implements JsonFactory {
  private static final JsonCodec CODEC = new JacksonCodec();

  @Override
  public JsonCodec codec() {
    return CODEC;
  }
}
