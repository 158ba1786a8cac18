package io.hostmesh.schema.hostos;

import java.util.List;

/**
 * The host OS of a device as the rollback framework sees it ({@code GET /v1/os}).
 *
 * @param version the running OS's {@code META_BALENA_VERSION} (else {@code VERSION}); empty when unknown
 * @param activeSlot the slot running now ({@code a}, {@code b}), empty when unknown
 * @param namedSlot the slot {@code resin_root_part} names (differs from {@code activeSlot} after a fallback)
 * @param rootPart {@code resin_root_part} as written (a hex partition index or a letter)
 * @param bootloader {@code u-boot}, {@code grub}, or {@code none}
 * @param upgradeAvailable {@code upgrade_available=1}: an update is on trial
 * @param bootcount boots counted while on trial ({@code bootcount.env} or grubenv)
 * @param bootcountLimit the count past which the bootloader boots the other slot (u-boot: more than
 *     this; grub: at this value, 2)
 * @param slots both root slots
 * @param breadcrumbs the rollback files present in {@code /mnt/state}, sorted
 * @param lastHup the last host OS update and how it ended; null when none was made
 * @param boot this boot's number since the device was first booted by the sim lifecycle (0 when unknown)
 * @param bootId this boot's id (empty when unknown)
 * @param decision the bootloader's decision for this boot, one line
 */
public record OsStatus(
    String version,
    String activeSlot,
    String namedSlot,
    String rootPart,
    String bootloader,
    boolean upgradeAvailable,
    int bootcount,
    int bootcountLimit,
    List<OsSlot> slots,
    List<String> breadcrumbs,
    HupRecord lastHup,
    int boot,
    String bootId,
    String decision) {
  public OsStatus {
    slots = List.copyOf(slots);
    breadcrumbs = List.copyOf(breadcrumbs);
  }
}
