package io.hostmesh.bus;

import io.vertx.core.Future;

/** A registered handler on the bus. */
public interface Subscription {
  /** Completes once the handler is registered and (for state topics) the latched value was handed over. */
  Future<Void> completion();

  /** Removes the handler. */
  Future<Void> cancel();
}
