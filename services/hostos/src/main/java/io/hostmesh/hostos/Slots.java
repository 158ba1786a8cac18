package io.hostmesh.hostos;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The two root slots and how the bootloader names them. As on a Raspberry Pi or a generic x86
 * image, the boot partition is 1, {@code resin-rootA} is partition 2 and {@code resin-rootB}
 * partition 3 ({@code resin_roota = resin_boot_part + 1}); {@code resin_root_part} holds the
 * index in hex, or the slot letter.
 */
public final class Slots {
  /** Slot names, in partition order. */
  public static final List<String> NAMES = List.of("a", "b");

  private Slots() {}

  /** The partition index of a slot: a → 2, b → 3. */
  public static int partition(String slot) {
    return switch (slot) {
      case "a" -> 2;
      case "b" -> 3;
      default -> throw new IllegalArgumentException("no slot named '" + slot + "' (a or b)");
    };
  }

  /** {@code resin_root_part} as the hooks write it: the partition index in hex. */
  public static String rootPart(String slot) {
    return Integer.toHexString(partition(slot));
  }

  /** The other slot. */
  public static String other(String slot) {
    return "a".equals(slot) ? "b" : "a";
  }

  /** The slot a {@code resin_root_part} value names: {@code 2}, {@code A} or {@code a} → a; {@code 3}, {@code B} → b. */
  public static Optional<String> named(String rootPart) {
    if (rootPart == null) {
      return Optional.empty();
    }
    String v = rootPart.trim().toLowerCase(Locale.ROOT);
    for (String s : NAMES) {
      if (v.equals(s) || v.equals(rootPart(s)) || v.equals("resin-root" + s)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** Whether {@code rootPart} names the running root, given its partition index and, if known, its slot letter. */
  public static boolean names(String rootPart, int runningPartition, String runningSlot) {
    if (rootPart == null) {
      return false;
    }
    String v = rootPart.trim().toLowerCase(Locale.ROOT);
    return v.equals(Integer.toHexString(runningPartition)) || runningSlot != null && v.equals(runningSlot);
  }

  /** The device path of a slot's root in sim ({@code /mnt/sysroot/a}). */
  public static String simRoot(String slot) {
    partition(slot);
    return "/mnt/sysroot/" + slot;
  }
}
