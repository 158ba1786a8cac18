package io.hostmesh.spi;

import io.vertx.core.http.HttpMethod;

/**
 * Where {@link ApiRoutes} add their endpoints. Paths may hold {@code :name} parameters
 * ({@code /v1/units/:name}).
 *
 * <p>A request body is read only up to {@code bodyLimit} bytes (a larger one is answered 413
 * unread) and is never stored as a file upload. Handlers run on the API's event loop: they must
 * not block (use the bus, or {@code vertx.executeBlocking}).
 */
public interface ApiRouter {
  /** Adds a route; {@code bodyLimit} 0 means the route reads no body. */
  void route(HttpMethod method, String path, int bodyLimit, ApiHandler handler);

  default void get(String path, ApiHandler handler) {
    route(HttpMethod.GET, path, 0, handler);
  }

  default void post(String path, int bodyLimit, ApiHandler handler) {
    route(HttpMethod.POST, path, bodyLimit, handler);
  }

  default void patch(String path, int bodyLimit, ApiHandler handler) {
    route(HttpMethod.PATCH, path, bodyLimit, handler);
  }
}
