package io.hostmesh.schema.unit;

import java.time.Instant;

/**
 * A log message of a unit; the same text the original script prints.
 *
 * @param unit the unit name
 * @param level the level
 * @param message the message
 * @param wallTime the device's system time
 * @param uptimeMillis milliseconds since the mesh started
 */
public record LogLine(String unit, LogLevel level, String message, Instant wallTime, long uptimeMillis) {}
