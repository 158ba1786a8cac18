package io.hostmesh.hostos;

import io.hostmesh.unit.UnitContext;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * A {@link BoardHealthCheck} registered through {@code META-INF/services} in the test class path:
 * unhealthy while {@value #MARKER} exists under the device root, healthy otherwise (so it stays
 * out of the way of every other test).
 */
public final class MarkerBoardCheck implements BoardHealthCheck {
  static final String MARKER = "/etc/test-board-unhealthy";

  @Override
  public String name() {
    return "marker-board-check";
  }

  @Override
  public Future<Optional<String>> check(UnitContext unit) {
    return Future.succeededFuture(unit.files().exists(MARKER) ? Optional.of("the board is unhealthy (" + MARKER + ")")
        : Optional.empty());
  }
}
