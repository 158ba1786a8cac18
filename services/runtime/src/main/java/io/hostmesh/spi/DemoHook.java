package io.hostmesh.spi;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/**
 * Prepares the demo device before its mesh boots, e.g. timesync-https starts an embedded
 * connectivity endpoint and points config.json at it. Found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.hostmesh.spi.DemoHook}).
 */
public interface DemoHook {
  /** Called once with the fresh device root; may edit files under it and start local servers. */
  Future<Void> prepare(Vertx vertx, Path root);

  /** Stops what {@link #prepare} started. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
