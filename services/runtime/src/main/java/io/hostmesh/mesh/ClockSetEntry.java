package io.hostmesh.mesh;

import io.hostmesh.schema.time.ClockSet;
import java.time.Instant;

/**
 * A clock set in a boot's timeline ({@code GET /v1/timeline}), between the unit state changes:
 * a step of the system clock explains the jump in their {@code wallTime}s. Told apart from a
 * state change by {@code event} (always {@value #EVENT}) and by having no {@code unit}.
 *
 * @param event always {@value #EVENT}
 * @param source who set it, as {@link ClockSet#source()}: {@code sim} (the sim clock controls),
 *     {@code fake-hwclock}, {@code https}, {@code ntp}, ...
 * @param previous the time just before
 * @param now the time set
 * @param wallTime the device's system time when it was recorded (just after the set)
 * @param uptimeMillis milliseconds since the mesh started (virtual in tests)
 */
public record ClockSetEntry(String event, String source, Instant previous, Instant now, Instant wallTime,
    long uptimeMillis) {
  public static final String EVENT = "clock-set";

  static ClockSetEntry of(ClockSet set, Instant wallTime, long uptimeMillis) {
    return new ClockSetEntry(EVENT, set.source(), set.previous(), set.now(), wallTime, uptimeMillis);
  }
}
