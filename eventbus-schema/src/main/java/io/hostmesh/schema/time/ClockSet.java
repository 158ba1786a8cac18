package io.hostmesh.schema.time;

import java.time.Instant;

/**
 * The system clock was set.
 *
 * @param previous the time just before
 * @param now the time set
 * @param source who set it: {@code build-time}, {@code fake-hwclock}, {@code rtc}, {@code https}, {@code ntp}, {@code api}, {@code sim} (the sim clock controls)
 */
public record ClockSet(Instant previous, Instant now, String source) {}
