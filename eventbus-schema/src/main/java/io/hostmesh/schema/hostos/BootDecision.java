package io.hostmesh.schema.hostos;

import java.util.List;

/**
 * What the emulated bootloader did on one boot attempt (sim).
 *
 * @param boot the boot's number (1 = first boot of this lifecycle's device root history)
 * @param bootId a random id, like the kernel's boot id
 * @param bootloader {@code u-boot}, {@code grub}, or {@code none} (no A/B layout)
 * @param rootPart {@code resin_root_part} as read
 * @param upgradeAvailable {@code upgrade_available=1} as read
 * @param bootcount the count after this boot's increment
 * @param bootcountLimit {@code OS_BOOTCOUNT_LIMIT} (u-boot) or 2 (grub)
 * @param slot the slot booted; empty without an A/B layout
 * @param fellBack true when the bootloader booted the slot {@code resin_root_part} does not name
 * @param userspace false when the slot has no init: the boot failed before any unit started
 * @param message the decision in one line (the timeline shows it)
 * @param console the bootloader's console lines of this attempt, then of the failed attempts
 *     before it since the last boot that reached userspace (oldest first)
 */
public record BootDecision(
    int boot,
    String bootId,
    String bootloader,
    String rootPart,
    boolean upgradeAvailable,
    int bootcount,
    int bootcountLimit,
    String slot,
    boolean fellBack,
    boolean userspace,
    String message,
    List<String> console) {
  public BootDecision {
    console = List.copyOf(console);
  }
}
