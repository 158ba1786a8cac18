package io.hostmesh.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.testing.SimDevice;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import io.vertx.junit5.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A sim device's API bound again at a later boot finds its port taken by another program: it
 * tries again while the port is held, takes it back once it is free, moves to a new free port when
 * it stays taken and was chosen freely, and fails as before when it was set.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class ApiRebindTest {
  @Test
  void aPortFreedWhileTryingAgainIsTakenBack(Vertx vertx) throws Exception {
    try (SimDevice dev = SimDevice.builder(vertx).build(); ServerSocket other = holder()) {
      dev.start().await();
      int port = other.getLocalPort();
      AtomicInteger tries = new AtomicInteger();
      // the other program lets the port go after two tries have found it taken
      Future<HttpApi> api = ApiRebind.deploy(vertx, p -> {
        if (tries.incrementAndGet() == 3) {
          close(other);
        }
        return new HttpApi(dev.mesh(), "127.0.0.1", p);
      }, port, true);
      HttpApi a = api.await();
      assertEquals(port, a.port(), "the same port again");
      assertEquals(3, tries.get(), "two tries on the taken port, the third binds");
      vertx.undeploy(a.deploymentID()).await();
    }
  }

  @Test
  void aFreelyChosenPortThatStaysTakenMovesToANewOne(Vertx vertx) throws Exception {
    try (SimDevice dev = SimDevice.builder(vertx).build(); ServerSocket other = holder()) {
      dev.start().await();
      AtomicInteger tries = new AtomicInteger();
      HttpApi a = ApiRebind.deploy(vertx, p -> {
        tries.incrementAndGet();
        return new HttpApi(dev.mesh(), "127.0.0.1", p);
      }, other.getLocalPort(), true).await();
      assertNotEquals(other.getLocalPort(), a.port());
      assertTrue(a.port() > 0, "a free port");
      assertEquals(ApiRebind.ATTEMPTS + 1, tries.get(), "every try on the old port, then one on a free one");
      vertx.undeploy(a.deploymentID()).await();
    }
  }

  @Test
  void aPortSetInTheSettingsThatStaysTakenFailsTheBoot(Vertx vertx) throws Exception {
    try (SimDevice dev = SimDevice.builder(vertx).build(); ServerSocket other = holder()) {
      dev.start().await();
      Throwable e = ApiRebind.deploy(vertx, p -> new HttpApi(dev.mesh(), "127.0.0.1", p), other.getLocalPort(), false)
          .transform(ar -> Future.succeededFuture(ar.cause())).await();
      assertTrue(String.valueOf(e).contains("Address already in use"), String.valueOf(e));
    }
  }

  /** Another program's listening socket on a free port of 127.0.0.1. */
  private static ServerSocket holder() throws Exception {
    return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
  }

  private static void close(ServerSocket s) {
    try {
      s.close();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
