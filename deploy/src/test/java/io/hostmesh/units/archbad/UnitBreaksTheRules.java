package io.hostmesh.units.archbad;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;

/**
 * Deliberately bad (ArchitectureTest): a class in a unit package that uses Vert.x Web's server
 * side, arms a Vert.x timer and reads the host clock. Never used.
 */
public final class UnitBreaksTheRules {
  private UnitBreaksTheRules() {}

  public static Router router(Vertx vertx) {
    return Router.router(vertx);
  }

  public static long timer(Vertx vertx) {
    return vertx.setTimer(10, id -> { });
  }

  public static long now() {
    return System.nanoTime() + System.currentTimeMillis();
  }

  /** Allowed: the Web Client is not the server side (timesync-https uses it). */
  public static WebClient client(Vertx vertx) {
    return WebClient.create(vertx);
  }
}
