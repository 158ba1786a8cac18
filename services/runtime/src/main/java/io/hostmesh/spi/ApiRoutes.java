package io.hostmesh.spi;

import io.hostmesh.mesh.Mesh;
import io.vertx.ext.web.Router;

/**
 * Adds routes to the HTTP API. Implementations are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.hostmesh.spi.ApiRoutes}), so a unit module adds its endpoints
 * (e.g. {@code PATCH /v1/config}) without touching the API itself. Routes talk to units only
 * through the bus of {@code mesh}.
 */
public interface ApiRoutes {
  /** Called once when the API starts, on the API's event loop. */
  void register(Router router, Mesh mesh);
}
