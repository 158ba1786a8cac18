package io.hostmesh.schema.hostos;

/**
 * The health of a sim stand-in for a host service (the engine), which follows {@code --break}.
 *
 * @param unit the stand-in unit
 * @param healthy what its health check answers
 * @param detail why it is unhealthy, or empty
 */
public record StandInHealth(String unit, boolean healthy, String detail) {}
