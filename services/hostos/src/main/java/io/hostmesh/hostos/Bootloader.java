package io.hostmesh.hostos;

import io.hostmesh.platform.BlockingHostFiles;
import io.hostmesh.schema.hostos.BootDecision;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The emulated bootloader step of a simulated boot, before any unit starts (spec/rollbacks.md
 * "Bootcount"):
 *
 * <ul>
 *   <li>u-boot ({@code env_resin.h}): with {@code upgrade_available=1} the count in
 *       {@code bootcount.env} (missing = 0) goes up by one and is saved; once it exceeds
 *       {@code OS_BOOTCOUNT_LIMIT} (3) the other root boots;
 *   <li>grub ({@code grub.cfg_internal_template}): with {@code upgrade_available=1} the count goes
 *       0→1 or 1→2 and is saved in grubenv; at 2 the root {@code resin_root_part} does not name boots.
 * </ul>
 *
 * <p>Either way the switch lives in the bootloader's memory only: the file still names the new
 * root, which is how rollback-altboot sees the fallback. A slot without {@code /sbin/init} never
 * reaches userspace ("Kernel panic - not syncing: No working init found."); the count was saved
 * before, so the next attempt counts on. A boot that reaches userspace gets the booted slot's
 * os-release as {@code /etc/os-release}.
 *
 * <p>Threading: blocks on the disk; run it on a worker.
 */
public final class Bootloader {
  /** {@code OS_BOOTCOUNT_LIMIT}'s default ({@code resin-u-boot.bbclass}). */
  public static final int UBOOT_LIMIT = 3;

  private Bootloader() {}

  /** Runs the bootloader for boot number {@code boot}; writes the count and {@code /etc/os-release}. */
  public static BootDecision step(BlockingHostFiles files, int boot, String bootId, int ubootLimit) throws IOException {
    BootEnv env = BootEnv.read(files::read);
    List<String> console = new ArrayList<>();
    String label = env.kind().label();
    if (env.kind() == BootEnv.Kind.NONE) {
      return new BootDecision(boot, bootId, label, "", false, 0, 0, "", false, true,
          "no bootloader environment under /mnt/boot: no A/B host OS, userspace boots as it is", List.of());
    }
    int limit = env.limit(ubootLimit);
    Optional<String> named = Slots.named(env.rootPart());
    if (named.isEmpty()) {
      console.add("resin_root_part=" + env.rootPart() + " names no root partition");
      return new BootDecision(boot, bootId, label, env.rootPart(), env.upgradeAvailable(), env.bootcount(), limit, "",
          false, false, "resin_root_part=" + env.rootPart() + " names no root: no kernel root, boot failed", console);
    }
    int count = env.bootcount();
    boolean fellBack;
    if (env.kind() == BootEnv.Kind.UBOOT) {
      console.add("Loading resinOS_uEnv.txt");
      if (files.read(BootEnv.BOOTCOUNT).isEmpty()) {
        console.add("No bootcount.env file. Setting bootcount=0 in environment");
      }
      if (env.upgradeAvailable()) {
        count++;
        files.write(BootEnv.BOOTCOUNT, BootEnv.bootcountEnv(count), null);
        console.add("bootcount=" + count + " now");
      }
      fellBack = count > limit;
    } else {
      if (env.upgradeAvailable() && count < 2) {
        // the template's two ifs: 1 → 2 first, then 0 → 1, so one step per boot
        count++;
        files.write(env.file(), env.edited(Map.of("bootcount", String.valueOf(count))), null);
      }
      console.add("grub: bootcount=" + count + ", resin_root_part=" + env.rootPart());
      fellBack = count == 2;
    }
    String slot = fellBack ? Slots.other(named.get()) : named.get();
    if (fellBack) {
      console.add("WARNING! BOOTLIMIT EXCEEDED. SWITCHING TO PREVIOUS ROOT");
      console.add("WARNING! was: resin_root_part=" + env.rootPart());
      console.add("WARNING! now: resin_root_part=" + Slots.rootPart(slot));
    }
    String version = SimOs.release(files::read, slot).map(OsRelease::effectiveVersion).orElse("");
    boolean userspace = SimOs.hasInit(files::read, slot);
    StringBuilder m = new StringBuilder("slot " + slot + (version.isEmpty() ? "" : " (" + version + ")"));
    m.append(": upgrade_available=").append(env.upgradeAvailable() ? 1 : 0).append(", bootcount ").append(count)
        .append('/').append(limit);
    if (fellBack) {
      m.append(", past the limit: fell back from slot ").append(named.get());
    }
    if (userspace) {
      Optional<String> release = files.read(SimOs.path(slot, SimOs.SLOT_OS_RELEASE));
      if (release.isPresent()) {
        files.writeIfChanged(SimOs.OS_RELEASE, release.get(), null);
      }
    } else {
      console.add("Kernel panic - not syncing: No working init found.");
      m.append(": no /sbin/init, boot failed");
    }
    return new BootDecision(boot, bootId, label, env.rootPart(), env.upgradeAvailable(), count, limit, slot, fellBack,
        userspace, m.toString(), console);
  }
}
