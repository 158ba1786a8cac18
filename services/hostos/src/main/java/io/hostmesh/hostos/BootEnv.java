package io.hostmesh.hostos;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bootloader's environment on the boot partition, as {@code rollback-parse-bootloader}
 * finds it: {@code resinOS_uEnv.txt} (u-boot; its boot count in {@code bootcount.env}) when it
 * exists, else a {@code grubenv} (grub; the count in the same file).
 *
 * @param kind which bootloader
 * @param file the device path of the file holding {@code resin_root_part} and {@code upgrade_available}
 * @param values its {@code key=value} pairs
 * @param bootcount the count ({@code bootcount.env} or grubenv; missing means 0)
 */
public record BootEnv(Kind kind, String file, Map<String, String> values, int bootcount) {
  /** The boot partition. */
  public static final String BOOT = "/mnt/boot";
  /** u-boot's environment file. */
  public static final String UENV = "/mnt/boot/resinOS_uEnv.txt";
  /** u-boot's boot count while an update is on trial. */
  public static final String BOOTCOUNT = "/mnt/boot/bootcount.env";
  /** Where a grubenv is looked for (the original runs {@code find /mnt/boot -name grubenv}). */
  public static final List<String> GRUBENV = List.of("/mnt/boot/grubenv", "/mnt/boot/EFI/BOOT/grubenv",
      "/mnt/boot/grub/grubenv");
  /** grub's environment block is exactly this long, padded with {@code #}. */
  static final int GRUBENV_SIZE = 1024;
  static final String GRUBENV_HEADER = "# GRUB Environment Block\n";

  /** Which bootloader the boot partition is for. */
  public enum Kind {
    UBOOT("u-boot"), GRUB("grub"), NONE("none");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** Reads a device path: {@code HostFiles::read} or {@code BlockingHostFiles::read}. */
  @FunctionalInterface
  public interface Reader {
    Optional<String> read(String devicePath) throws IOException;
  }

  public BootEnv {
    // in file order: an edit writes the keys back where they were
    values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** The environment on the boot partition; kind {@link Kind#NONE} when there is none. */
  public static BootEnv read(Reader files) throws IOException {
    Optional<String> uenv = files.read(UENV);
    if (uenv.isPresent()) {
      int count = files.read(BOOTCOUNT).map(t -> parse(t).get("bootcount")).map(BootEnv::count).orElse(0);
      return new BootEnv(Kind.UBOOT, UENV, parse(uenv.get()), count);
    }
    for (String g : GRUBENV) {
      Optional<String> text = files.read(g);
      if (text.isPresent()) {
        Map<String, String> v = parse(text.get());
        return new BootEnv(Kind.GRUB, g, v, count(v.get("bootcount")));
      }
    }
    return new BootEnv(Kind.NONE, "", Map.of(), 0);
  }

  /** {@code resin_root_part}, or empty. */
  public String rootPart() {
    return values.getOrDefault("resin_root_part", "");
  }

  /** {@code upgrade_available=1}. */
  public boolean upgradeAvailable() {
    return "1".equals(values.getOrDefault("upgrade_available", "").trim());
  }

  /** Whether {@code upgrade_available} is set at all (rollback-parse-bootloader fails without it). */
  public boolean hasUpgradeAvailable() {
    return !values.getOrDefault("upgrade_available", "").isBlank();
  }

  /** The limit for this bootloader: u-boot boots the other slot once the count exceeds {@code ubootLimit}; grub at 2. */
  public int limit(int ubootLimit) {
    return kind == Kind.GRUB ? 2 : ubootLimit;
  }

  /** {@code key=value} lines ({@code env import -t}, grubenv); comments, padding and other lines are skipped. */
  public static Map<String, String> parse(String text) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      String l = line.trim();
      int eq = l.indexOf('=');
      if (l.startsWith("#") || eq <= 0) {
        continue;
      }
      m.put(l.substring(0, eq).trim(), l.substring(eq + 1).trim());
    }
    return m;
  }

  private static int count(String v) {
    try {
      return v == null ? 0 : Math.max(0, Integer.parseInt(v.trim()));
    } catch (NumberFormatException e) {
      return 0; // u-boot's setexpr reads garbage as 0 too
    }
  }

  /** {@code resinOS_uEnv.txt} as 99-resin-uboot writes it. */
  public static String uEnv(String rootPart, boolean upgradeAvailable) {
    return "resin_root_part=" + rootPart + "\nupgrade_available=" + (upgradeAvailable ? 1 : 0) + "\n";
  }

  /** {@code bootcount.env} as u-boot writes it. */
  public static String bootcountEnv(int count) {
    return "bootcount=" + count + "\n";
  }

  /** A grub environment block: the header, the pairs, {@code #} up to 1024 bytes. */
  public static String grubenv(Map<String, String> values) {
    StringBuilder b = new StringBuilder(GRUBENV_HEADER);
    values.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
    while (b.length() < GRUBENV_SIZE) {
      b.append('#');
    }
    return b.toString();
  }

  /** The text of {@link #file} with some keys set (other lines kept; a missing key is appended). */
  public String edited(Map<String, String> changes) {
    Map<String, String> v = new LinkedHashMap<>(values);
    v.putAll(changes);
    if (kind == Kind.GRUB) {
      return grubenv(v);
    }
    StringBuilder b = new StringBuilder();
    v.forEach((k, x) -> b.append(k).append('=').append(x).append('\n'));
    return b.toString();
  }
}
