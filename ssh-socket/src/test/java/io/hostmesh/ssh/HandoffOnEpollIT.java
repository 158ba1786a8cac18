package io.hostmesh.ssh;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Test;

/** {@link HandoffIT}'s tests with Vert.x on Netty's epoll transport, as a device runs it. */
class HandoffOnEpollIT extends HandoffIT {
  @Override
  VertxOptions options() {
    return new VertxOptions().setPreferNativeTransport(true);
  }

  @Test
  void vertxRunsOnEpollHere() {
    assertTrue(vertx.isNativeTransportEnabled(),
        "Netty's epoll transport loads on this machine kind: " + vertx.unavailableNativeTransportCause());
  }
}
