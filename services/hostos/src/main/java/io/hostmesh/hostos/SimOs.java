package io.hostmesh.hostos;

import io.hostmesh.platform.BlockingHostFiles;
import io.hostmesh.schema.hostos.OsSlot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The A/B host OS of a simulated device, under its root:
 *
 * <pre>
 * /mnt/sysroot/a/etc/os-release      slot a (resin-rootA, partition 2): VERSION, META_BALENA_VERSION
 * /mnt/sysroot/a/sbin/init           its init; a slot without one never reaches userspace
 * /mnt/sysroot/a/usr/lib/hostmesh/sim-break   what a HUP --break made unhealthy (engine, vpn)
 * /mnt/sysroot/b/...                 slot b (resin-rootB, partition 3)
 * /mnt/boot/resinOS_uEnv.txt         u-boot: resin_root_part, upgrade_available
 * /mnt/boot/bootcount.env            u-boot: bootcount while an update is on trial
 * /mnt/boot/grubenv                  grub instead: all three in one 1024-byte block
 * /mnt/state/                        the rollback breadcrumbs
 * /etc/os-release                    a copy of the booted slot's, made at every boot (its bind mount)
 * </pre>
 */
public final class SimOs {
  /** The version a new sim device starts with. */
  public static final String DEFAULT_VERSION = "2.88.4";
  /** A slot's init, relative to the slot root. */
  public static final String INIT = "/sbin/init";
  /** A slot's os-release, relative to the slot root. */
  public static final String SLOT_OS_RELEASE = "/etc/os-release";
  /** What a {@code --break} made unhealthy in a slot, relative to the slot root. */
  public static final String BREAK = "/usr/lib/hostmesh/sim-break";
  /** The running OS's os-release. */
  public static final String OS_RELEASE = "/etc/os-release";
  /** What the sim writes as a slot's init. */
  public static final String INIT_CONTENT = "#!/bin/sh\n# the init of a simulated balenaOS root\n";

  private SimOs() {}

  /** Whether the root holds an A/B host OS (slot a's os-release). */
  public static boolean present(BootEnv.Reader files) throws IOException {
    return files.read(path("a", SLOT_OS_RELEASE)).isPresent();
  }

  /**
   * Lays out an A/B host OS when the root has none: slot a with {@code version} and booted, slot
   * b empty, the bootloader environment naming slot a, {@code /mnt/state}. Returns false (and
   * changes nothing) when slot a already holds an OS.
   */
  public static boolean layout(BlockingHostFiles files, String version, BootEnv.Kind kind) throws IOException {
    String problem = OsVersion.problem(version);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    if (kind == BootEnv.Kind.NONE) {
      throw new IllegalArgumentException("a host OS needs a bootloader: u-boot or grub");
    }
    if (present(files::read)) {
      return false;
    }
    files.mkdirs(Slots.simRoot("b"), null);
    files.mkdirs(RollbackFiles.STATE, null);
    files.write(path("a", INIT), INIT_CONTENT, null);
    files.write(path("a", SLOT_OS_RELEASE), OsRelease.render(version), null);
    if (kind == BootEnv.Kind.UBOOT) {
      files.write(BootEnv.UENV, BootEnv.uEnv(Slots.rootPart("a"), false), null);
    } else {
      files.write(BootEnv.GRUBENV.get(0), BootEnv.grubenv(Map.of("bootcount", "0", "resin_root_part",
          Slots.rootPart("a"), "upgrade_available", "0")), null);
    }
    files.write(OS_RELEASE, OsRelease.render(version), null);
    return true;
  }

  /** A device path inside a slot ({@code path("b", "/sbin/init")} → {@code /mnt/sysroot/b/sbin/init}). */
  public static String path(String slot, String inSlot) {
    return Slots.simRoot(slot) + inSlot;
  }

  /** A slot's os-release, if it holds an OS. */
  public static Optional<OsRelease> release(BootEnv.Reader files, String slot) throws IOException {
    return files.read(path(slot, SLOT_OS_RELEASE)).map(OsRelease::parse);
  }

  /** What a {@code --break} made unhealthy in the slot ({@code engine}, {@code vpn}), or empty. */
  public static String broken(BootEnv.Reader files, String slot) throws IOException {
    return files.read(path(slot, BREAK)).map(String::trim).orElse("");
  }

  /** One slot as {@code GET /v1/os} shows it. */
  public static OsSlot slot(BootEnv.Reader files, String slot, String running, String named) throws IOException {
    Optional<OsRelease> r = release(files, slot);
    return new OsSlot(slot, Slots.partition(slot), r.map(OsRelease::version).orElse(""),
        r.map(OsRelease::metaBalenaVersion).orElse(""), hasInit(files, slot), slot.equals(running),
        slot.equals(named), broken(files, slot));
  }

  /** Whether the slot has an init (a small file: reading it is how its presence is checked). */
  public static boolean hasInit(BootEnv.Reader files, String slot) throws IOException {
    return files.read(path(slot, INIT)).isPresent();
  }

  /** Empties {@code /run} and {@code /var/volatile} (tmpfs on a device: empty at every boot); links are not followed. */
  static void clearVolatile(BlockingHostFiles files) throws IOException {
    for (String dir : List.of("run", "var/volatile")) {
      Path p = files.root().resolve(dir);
      if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try (var walk = Files.walk(p)) {
        for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
          if (!x.equals(p)) {
            Files.deleteIfExists(x);
          }
        }
      }
    }
  }
}
