package io.hostmesh.schema.targets;

import java.time.Instant;

/**
 * A synchronisation point reached, like a systemd target.
 *
 * @param name the target's name ({@code time-set}, {@code time-sync-https-wait}, ...)
 * @param wallTime the device's system time when it was reached
 * @param uptimeMillis milliseconds since the mesh started (monotonic, or virtual in tests)
 */
public record Target(String name, Instant wallTime, long uptimeMillis) {}
