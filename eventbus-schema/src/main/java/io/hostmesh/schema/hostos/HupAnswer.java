package io.hostmesh.schema.hostos;

/**
 * The answer to a {@link HupRequest}: the new slot is written and the device reboots into it.
 *
 * @param fromVersion the running version
 * @param toVersion the version written to the other slot
 * @param fromSlot the running slot
 * @param toSlot the slot written and named by {@code resin_root_part}
 * @param breakPart what the new OS breaks, or empty
 * @param rebooting true when the reboot was accepted; false when nothing serves reboots (reboot the
 *     device yourself to boot the new slot)
 * @param message one line for the user
 */
public record HupAnswer(String fromVersion, String toVersion, String fromSlot, String toSlot, String breakPart,
    boolean rebooting, String message) {}
