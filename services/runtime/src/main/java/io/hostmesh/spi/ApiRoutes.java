package io.hostmesh.spi;

import io.hostmesh.mesh.Mesh;

/**
 * Adds endpoints to a device's HTTP API. Implementations are found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.hostmesh.spi.ApiRoutes}), so a
 * unit module (or a plugin) adds its endpoints, e.g. {@code PATCH /v1/config}, without touching
 * the API and without compiling against a web framework. Routes reach units only through
 * {@code mesh.bus()}.
 */
public interface ApiRoutes {
  /** Called once when the API starts, on the API's event loop. */
  void register(ApiRouter router, Mesh mesh);
}
