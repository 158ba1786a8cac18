package io.hostmesh.hostos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Bootloader files as the rollback scripts read and write them, and the running root on a device. */
class BootEnvTest {
  @Test
  void grubenvAsTheScriptsLeaveIt() throws IOException {
    // rollback-stop's sed leaves "bootcount=0 " with a trailing space in the padded block
    String grubenv = BootEnv.grubenv(Map.of("bootcount", "2")).replace("bootcount=2", "bootcount=0 ");
    BootEnv env = BootEnv.read(p -> p.equals("/mnt/boot/EFI/BOOT/grubenv") ? Optional.of(grubenv) : Optional.empty());
    assertEquals(BootEnv.Kind.GRUB, env.kind());
    assertEquals("/mnt/boot/EFI/BOOT/grubenv", env.file());
    assertEquals(0, env.bootcount());
    assertFalse(env.hasUpgradeAvailable());
    String edited = env.edited(Map.of("upgrade_available", "1"));
    assertEquals(1024, edited.length());
    assertEquals(Map.of("bootcount", "0", "upgrade_available", "1"), BootEnv.parse(edited));
  }

  @Test
  void ubootPrefersResinOsUEnvAndReadsTheCountFromBootcountEnv() throws IOException {
    Map<String, String> files = Map.of(BootEnv.UENV, "resin_root_part=3\nupgrade_available=1\n",
        BootEnv.BOOTCOUNT, "bootcount=2\n", "/mnt/boot/grubenv", BootEnv.grubenv(Map.of("bootcount", "1")));
    BootEnv env = BootEnv.read(p -> Optional.ofNullable(files.get(p)));
    assertEquals(BootEnv.Kind.UBOOT, env.kind());
    assertEquals(2, env.bootcount());
    assertTrue(env.upgradeAvailable());
    assertEquals("3", env.rootPart());
    assertEquals("resin_root_part=3\nupgrade_available=0\n", env.edited(Map.of("upgrade_available", "0")));
    BootEnv garbage = BootEnv.read(p -> p.equals(BootEnv.UENV) ? Optional.of("x") : p.equals(BootEnv.BOOTCOUNT)
        ? Optional.of("bootcount=zz\n") : Optional.empty());
    assertEquals(0, garbage.bootcount(), "u-boot's setexpr reads garbage as 0");
  }

  @Test
  void slotsByIndexOrLetter() {
    assertEquals(Optional.of("a"), Slots.named("2"));
    assertEquals(Optional.of("b"), Slots.named("B"));
    assertEquals(Optional.of("b"), Slots.named("resin-rootB"));
    assertEquals(Optional.empty(), Slots.named("4"));
    assertTrue(Slots.names("a", 10, null), "hex index: partition 10 is 'a'");
    assertTrue(Slots.names("b", 3, "b"));
    assertFalse(Slots.names("2", 3, "b"));
  }

  /** rollback-parse-bootloader's {@code current_part_idx}: findmnt /mnt/sysroot/active, then sysfs. */
  @Test
  void runningPartitionOfADeviceFromTheMounts() throws IOException {
    String mountinfo = "22 1 179:2 / / ro,relatime - ext4 /dev/mmcblk0p2 ro\n"
        + "40 22 179:3 /balena /mnt/sysroot/active rw,relatime shared:5 - ext4 /dev/mmcblk0p3 rw\n"
        + "41 22 179:2 / /mnt/sysroot/inactive rw - ext4 /dev/mmcblk0p2 rw\n";
    Map<String, String> files = Map.of("/proc/self/mountinfo", mountinfo, "/sys/class/block/mmcblk0p3/partition", "3\n");
    assertEquals(OptionalInt.of(3), DeviceOs.runningPartition(p -> Optional.ofNullable(files.get(p))));
    assertEquals(OptionalInt.empty(), DeviceOs.runningPartition(p -> Optional.empty()), "no mountinfo");
    assertEquals(OptionalInt.empty(), DeviceOs.runningPartition(
        p -> p.equals("/proc/self/mountinfo") ? Optional.of(mountinfo) : Optional.empty()), "no sysfs entry");
  }
}
