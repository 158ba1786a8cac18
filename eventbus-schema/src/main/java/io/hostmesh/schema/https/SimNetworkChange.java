package io.hostmesh.schema.https;

/**
 * Asks the {@code network} unit of a simulated device to take the network down or up (to script
 * outages: timesync-https keeps waiting while it is down). Answered with the new
 * {@link io.hostmesh.schema.targets.NetworkState}; refused on a real device.
 *
 * @param online the state wanted
 * @param reason who asked ({@code "api"}, {@code "test"}), kept in the NetworkState
 */
public record SimNetworkChange(boolean online, String reason) {}
