package io.hostmesh.mesh.archbad;

import io.hostmesh.api.HttpApi;

/** Deliberately bad (ArchitectureTest): a runtime class that imports the API module. Never used. */
public final class MeshImportsApi {
  private MeshImportsApi() {}

  public static int port(HttpApi api) {
    return api.port();
  }
}
