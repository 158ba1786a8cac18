package io.hostmesh.schema.unit;

import java.time.Instant;

/**
 * One state change of a unit.
 *
 * @param unit the unit name
 * @param state the new state
 * @param previous the state before
 * @param detail why (a failure message, the requirements waited for, "restart 2/5", ...); may be empty
 * @param wallTime the device's system time
 * @param uptimeMillis milliseconds since the mesh started (virtual in tests)
 */
public record UnitStateChanged(
    String unit, UnitState state, UnitState previous, String detail, Instant wallTime, long uptimeMillis) {}
