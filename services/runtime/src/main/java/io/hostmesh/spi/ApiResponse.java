package io.hostmesh.spi;

import io.hostmesh.bus.JsonRecordCodec;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * An API answer.
 *
 * @param status the HTTP status
 * @param contentType the media type of the body
 * @param body the body
 */
public record ApiResponse(int status, String contentType, Buffer body) {
  /** Any record, list or map as JSON (records through {@link JsonRecordCodec}). */
  public static ApiResponse json(int status, Object body) {
    return new ApiResponse(status, "application/json", Buffer.buffer(JsonRecordCodec.toJson(body)));
  }

  /** A Vert.x JSON object as it is. */
  public static ApiResponse json(int status, JsonObject body) {
    return new ApiResponse(status, "application/json", body.toBuffer());
  }

  /** {@code {"error": message}} with the status. */
  public static ApiResponse error(int status, String message) {
    return json(status, Map.of("error", String.valueOf(message)));
  }

  /** This answer as a completed future, for handlers that answer at once. */
  public Future<ApiResponse> now() {
    return Future.succeededFuture(this);
  }
}
