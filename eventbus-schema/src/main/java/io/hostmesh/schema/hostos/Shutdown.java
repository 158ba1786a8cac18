package io.hostmesh.schema.hostos;

/**
 * The units of a boot are about to be stopped (a reboot or power-off).
 *
 * @param boot the boot that ends
 * @param reason why
 * @param reboot true for a reboot, false for a power-off
 */
public record Shutdown(int boot, String reason, boolean reboot) {}
