package io.hostmesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The device's Vert.x: Netty's epoll transport unless turned off, and the sizes it is given. */
@Timeout(30)
class VertxSizingTest {
  @Test
  void aDeviceRunsOnEpollByDefaultAndOnNioWhenTurnedOff() throws Exception {
    Vertx epoll = new VertxSizing(new JsonObject()).create();
    try {
      assertTrue(epoll.isNativeTransportEnabled(), "epoll loads on this machine kind: " + epoll.unavailableNativeTransportCause());
    } finally {
      epoll.close().await(10, TimeUnit.SECONDS);
    }
    Vertx nio = new VertxSizing(new JsonObject().put("nativeTransport", false)).create();
    try {
      assertFalse(nio.isNativeTransportEnabled());
    } finally {
      nio.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void badValuesAreRefusedWithTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new VertxSizing(new JsonObject().put("nativeTransport", "yes")).nativeTransport());
    assertEquals("hostmesh.json: vertx.nativeTransport must be true or false, not yes", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new VertxSizing(new JsonObject().put("eventLoops", 0)).eventLoops());
    assertEquals("hostmesh.json: vertx.eventLoops must be a positive number, not 0", e.getMessage());
  }
}
