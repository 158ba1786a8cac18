package io.hostmesh.schema.host;

import java.time.Instant;
import java.util.List;

/**
 * In the sim profile, a host command that was recorded instead of run ({@code udevadm trigger},
 * {@code iw reg set DE}, ...).
 *
 * @param argv the argument vector
 * @param wallTime the device's system time
 */
public record CommandRecorded(List<String> argv, Instant wallTime) {}
