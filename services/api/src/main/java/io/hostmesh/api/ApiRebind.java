package io.hostmesh.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.BindException;
import java.time.Duration;
import java.util.function.IntFunction;

/**
 * A sim device's API deployed again at each boot, on the port its first boot had, so clients and
 * the port file keep finding it. Between two boots the port is free, and another program may
 * take it meanwhile (any outgoing connection's local port comes from the same range as a port
 * chosen freely). Then the bind is tried again, {@link #ATTEMPTS} times {@link #PAUSE} apart; a
 * port that was chosen freely moves to a new free one after that (the caller writes the port file
 * and says so), a port set in the settings fails the boot, as before. Before, the boot failed at
 * once and the device went off.
 *
 * <p>Threading: call on any thread; the future completes on a Vert.x context.
 */
public final class ApiRebind {
  /** Binds tried on the same port before giving up on it. */
  static final int ATTEMPTS = 10;
  /** Time between two binds. */
  static final Duration PAUSE = Duration.ofMillis(200);

  private ApiRebind() {}

  /**
   * Deploys {@code api.apply(port)}, again while the port is taken, then on a free port when
   * {@code movable}. Completes with the deployed API (its {@link HttpApi#port()} says where).
   */
  public static Future<HttpApi> deploy(Vertx vertx, IntFunction<HttpApi> api, int port, boolean movable) {
    return attempt(vertx, api, port, movable, 1);
  }

  private static Future<HttpApi> attempt(Vertx vertx, IntFunction<HttpApi> api, int port, boolean movable, int n) {
    HttpApi server = api.apply(port);
    return vertx.deployVerticle(server).map(id -> server).recover(e -> {
      if (!taken(e) || port == 0) {
        return Future.failedFuture(e);
      }
      if (n < ATTEMPTS) {
        return vertx.timer(PAUSE.toMillis()).compose(x -> attempt(vertx, api, port, movable, n + 1));
      }
      return movable ? attempt(vertx, api, 0, false, 1) : Future.failedFuture(e);
    });
  }

  private static boolean taken(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      // NIO says BindException; Netty's epoll an IOException with the C library's words
      if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }
}
