package io.hostmesh.schema.hostos;

/**
 * The answer to a {@link RebootRequest}, given before the units stop.
 *
 * @param accepted false when the device is already stopping or booting
 * @param boot the number of the boot that ends
 * @param message what happens next, or why it was refused
 */
public record RebootAnswer(boolean accepted, int boot, String message) {}
