package io.hostmesh.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Local delivery of immutable records by reference: {@link #transform} returns the same object.
 * Records are immutable, so handing the same instance to every consumer is safe and avoids the
 * copy Vert.x makes of a {@code JsonObject} on every delivery. Across a cluster the
 * {@link JsonRecordCodec} is used instead.
 */
final class RecordCodec implements MessageCodec<Object, Object> {
  static final String NAME = "hostmesh-record";

  @Override
  public void encodeToWire(Buffer buffer, Object o) {
    JsonRecordCodec.INSTANCE.encodeToWire(buffer, o);
  }

  @Override
  public Object decodeFromWire(int pos, Buffer buffer) {
    return JsonRecordCodec.INSTANCE.decodeFromWire(pos, buffer);
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
