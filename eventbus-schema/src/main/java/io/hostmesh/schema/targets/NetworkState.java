package io.hostmesh.schema.targets;

import java.time.Instant;

/**
 * Whether the device has a network, as NetworkManager would report it.
 *
 * @param online true when the network target is reached
 * @param reason why it changed (e.g. {@code "sim start"}, {@code "api"}, {@code "nm-online"})
 * @param wallTime the device's system time of the change
 */
public record NetworkState(boolean online, String reason, Instant wallTime) {}
