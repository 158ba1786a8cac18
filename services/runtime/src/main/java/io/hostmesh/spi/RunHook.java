package io.hostmesh.spi;

import io.hostmesh.mesh.Mesh;
import io.vertx.core.Future;

/**
 * Extends {@code hostmesh run} and {@code demo}: called once the mesh has started (and its API is
 * up) and again before it stops. sd_notify and the TCP event-bus bridge plug in here. Found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.hostmesh.spi.RunHook}).
 */
public interface RunHook {
  /** The mesh is starting units; {@code mesh.bus()} and its state topics are live. */
  Future<Void> started(Mesh mesh);

  /** The mesh is about to stop its units. */
  default Future<Void> stopping(Mesh mesh) {
    return Future.succeededFuture();
  }
}
