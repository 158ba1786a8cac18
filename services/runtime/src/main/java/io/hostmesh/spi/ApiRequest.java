package io.hostmesh.spi;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;

/**
 * One API request as a route sees it.
 *
 * @param method the HTTP method
 * @param path the request path
 * @param pathParams the values of the route's {@code :name} parameters
 * @param headers the request headers
 * @param body the body (empty when the route reads none)
 */
public record ApiRequest(HttpMethod method, String path, Map<String, String> pathParams, MultiMap headers, Buffer body) {
  public ApiRequest {
    pathParams = Map.copyOf(pathParams);
    body = body == null ? Buffer.buffer() : body;
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name));
  }

  /** The media type of the body without parameters, lower case ({@code application/json}); empty if none. */
  public String mediaType() {
    return header("Content-Type").map(t -> t.split(";")[0].trim().toLowerCase()).orElse("");
  }

  /** The body as a JSON object, or empty when it is not one. */
  public Optional<JsonObject> jsonObject() {
    try {
      Object v = body.length() == 0 ? null : Json.decodeValue(body);
      return v instanceof JsonObject o ? Optional.of(o) : Optional.empty();
    } catch (DecodeException e) {
      return Optional.empty();
    }
  }
}
