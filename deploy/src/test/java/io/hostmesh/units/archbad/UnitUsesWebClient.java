package io.hostmesh.units.archbad;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;

/** Allowed (ArchitectureTest): a unit package may use the Vert.x Web Client. Never used. */
public final class UnitUsesWebClient {
  private UnitUsesWebClient() {}

  public static WebClient client(Vertx vertx) {
    return WebClient.create(vertx);
  }
}
