package io.hostmesh.schema.hostos;

/**
 * Asks whoever runs the device to reboot it.
 *
 * @param requester the unit or client asking ({@code rollback-health}, {@code api})
 * @param reason why, for the log and the boot history
 * @param force {@code systemctl --force reboot}: on a real device, skip the orderly stop of services
 */
public record RebootRequest(String requester, String reason, boolean force) {}
