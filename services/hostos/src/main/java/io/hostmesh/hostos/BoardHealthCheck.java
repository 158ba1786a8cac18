package io.hostmesh.hostos;

import io.hostmesh.unit.UnitContext;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * A board- or release-specific health check that decides, with the engine and VPN checks,
 * whether a host OS update commits (balenaOS's {@code rollback-board-healthcheck}, which device
 * integrations override). Found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.hostmesh.hostos.BoardHealthCheck}), a plugin jar included.
 *
 * <p>Without writing code, the setting {@code units.rollback-health.healthUnits} (a list of unit
 * names) makes the update commit only when none of those units has failed: a unit's health
 * decides whether the release commits.
 */
public interface BoardHealthCheck {
  /** Shown in the log. */
  String name();

  /**
   * Runs the check; completes with empty when healthy, else with why not. Called on
   * rollback-health's event loop with its context (bus, files, processes, scheduler): never block.
   */
  Future<Optional<String>> check(UnitContext rollbackHealth);
}
