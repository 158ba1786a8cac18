package io.hostmesh.hostos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.platform.BlockingHostFiles;
import io.hostmesh.platform.Platforms;
import io.hostmesh.schema.hostos.BootDecision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emulated bootloader step: u-boot and grub counting, the fallback, a slot without init. */
class BootloaderTest {
  Path root;
  BlockingHostFiles files;
  int boot;

  @BeforeEach
  void root() throws IOException {
    root = Files.createTempDirectory("hostmesh-bootloader-");
    files = Platforms.files(root);
  }

  @AfterEach
  void clean() throws IOException {
    try (var walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Slot b holds 2.89.0 (with or without init) and the environment names it with upgrade_available=1, as after a HUP. */
  private void updated(BootEnv.Kind kind, boolean init) throws IOException {
    assertTrue(SimOs.layout(files, "2.88.4", kind));
    files.write(SimOs.path("b", SimOs.SLOT_OS_RELEASE), OsRelease.render("2.89.0"), null);
    if (init) {
      files.write(SimOs.path("b", SimOs.INIT), SimOs.INIT_CONTENT, null);
    }
    if (kind == BootEnv.Kind.UBOOT) {
      files.write(BootEnv.UENV, BootEnv.uEnv("3", true), null);
    } else {
      BootEnv env = BootEnv.read(files::read);
      files.write(env.file(), env.edited(Map.of("resin_root_part", "3", "upgrade_available", "1")), null);
    }
  }

  private BootDecision step() throws IOException {
    return Bootloader.step(files, ++boot, "id" + boot, Bootloader.UBOOT_LIMIT);
  }

  @Test
  void withoutAnUpdateNothingIsCounted() throws IOException {
    SimOs.layout(files, "2.88.4", BootEnv.Kind.UBOOT);
    BootDecision d = step();
    assertEquals("a", d.slot());
    assertTrue(d.userspace());
    assertEquals(0, d.bootcount());
    assertFalse(files.exists(BootEnv.BOOTCOUNT), "u-boot writes bootcount.env only while upgrade_available=1");
    assertTrue(d.console().contains("No bootcount.env file. Setting bootcount=0 in environment"));
    assertEquals("slot a (2.88.4): upgrade_available=0, bootcount 0/3", d.message());
  }

  @Test
  void ubootCountsEachBootAndFallsBackPastTheLimit() throws IOException {
    updated(BootEnv.Kind.UBOOT, true);
    for (int i = 1; i <= 3; i++) {
      BootDecision d = step();
      assertEquals("b", d.slot(), "boot " + i);
      assertFalse(d.fellBack());
      assertEquals(i, d.bootcount());
      assertEquals("bootcount=" + i + "\n", files.read(BootEnv.BOOTCOUNT).orElseThrow());
      assertTrue(files.read(SimOs.OS_RELEASE).orElseThrow().contains("2.89.0"), "/etc/os-release is the booted slot's");
    }
    BootDecision d = step();
    assertEquals("a", d.slot(), "bootcount 4 > OS_BOOTCOUNT_LIMIT 3");
    assertTrue(d.fellBack());
    assertTrue(d.console().contains("WARNING! BOOTLIMIT EXCEEDED. SWITCHING TO PREVIOUS ROOT"));
    assertEquals("resin_root_part=3\nupgrade_available=1\n", files.read(BootEnv.UENV).orElseThrow(),
        "the switch is in the bootloader's memory only");
    assertTrue(files.read(SimOs.OS_RELEASE).orElseThrow().contains("2.88.4"));
    assertTrue(d.message().endsWith("past the limit: fell back from slot b"), d.message());
  }

  @Test
  void theLimitIsASetting() throws IOException {
    updated(BootEnv.Kind.UBOOT, true);
    assertEquals("b", Bootloader.step(files, 1, "x", 1).slot());
    assertEquals("a", Bootloader.step(files, 2, "y", 1).slot());
  }

  @Test
  void grubCountsZeroOneTwoAndFallsBackAtTwo() throws IOException {
    updated(BootEnv.Kind.GRUB, true);
    BootDecision first = step();
    assertEquals("b", first.slot());
    assertEquals(1, first.bootcount());
    BootDecision second = step();
    assertEquals("a", second.slot(), "grub boots the other root at bootcount=2");
    assertTrue(second.fellBack());
    assertEquals(2, second.bootcount());
    assertEquals(2, second.bootcountLimit());
    String env = files.read(BootEnv.GRUBENV.get(0)).orElseThrow();
    assertEquals(1024, env.length(), "a grub environment block stays 1024 bytes");
    assertTrue(env.startsWith("# GRUB Environment Block\n"));
    assertEquals(Map.of("bootcount", "2", "resin_root_part", "3", "upgrade_available", "1"), BootEnv.parse(env));
    assertEquals("a", step().slot(), "it stays at 2 and keeps falling back");
  }

  @Test
  void aSlotWithoutInitFailsTheBootAfterTheCountIsSaved() throws IOException {
    updated(BootEnv.Kind.UBOOT, false);
    BootDecision d = step();
    assertEquals("b", d.slot());
    assertFalse(d.userspace());
    assertEquals(1, d.bootcount());
    assertEquals("bootcount=1\n", files.read(BootEnv.BOOTCOUNT).orElseThrow());
    assertTrue(d.console().contains("Kernel panic - not syncing: No working init found."));
    assertTrue(files.read(SimOs.OS_RELEASE).orElseThrow().contains("2.88.4"), "/etc/os-release untouched");
    assertTrue(d.message().endsWith("no /sbin/init, boot failed"), d.message());
  }

  @Test
  void slotLettersNameSlotsToo() throws IOException {
    SimOs.layout(files, "2.88.4", BootEnv.Kind.UBOOT);
    files.write(SimOs.path("b", SimOs.SLOT_OS_RELEASE), OsRelease.render("2.89.0"), null);
    files.write(SimOs.path("b", SimOs.INIT), SimOs.INIT_CONTENT, null);
    files.write(BootEnv.UENV, "resin_root_part=B\nupgrade_available=0\n", null);
    assertEquals("b", step().slot());
  }

  @Test
  void aRootPartThatNamesNothingFailsTheBoot() throws IOException {
    SimOs.layout(files, "2.88.4", BootEnv.Kind.UBOOT);
    files.write(BootEnv.UENV, "resin_root_part=7\nupgrade_available=0\n", null);
    BootDecision d = step();
    assertFalse(d.userspace());
    assertEquals("resin_root_part=7 names no root: no kernel root, boot failed", d.message());
  }

  @Test
  void noBootloaderEnvironmentBootsAsItIs() throws IOException {
    BootDecision d = step();
    assertTrue(d.userspace());
    assertEquals("none", d.bootloader());
    assertEquals("", d.slot());
  }

  @Test
  void layoutIsOnceAndRefusesBadInput() throws IOException {
    assertTrue(SimOs.layout(files, "2.88.4", BootEnv.Kind.GRUB));
    assertFalse(SimOs.layout(files, "2.90.0", BootEnv.Kind.GRUB), "an existing host OS is kept");
    assertTrue(files.read(SimOs.OS_RELEASE).orElseThrow().contains("VERSION=\"2.88.4\""));
    assertEquals("is not a balenaOS version", bad(() -> SimOs.layout(files, "latest", BootEnv.Kind.UBOOT)));
    assertEquals("a host OS needs a bootloader: u-boot or grub", bad(() -> SimOs.layout(files, "2.88.4", BootEnv.Kind.NONE)));
  }

  private static String bad(org.junit.jupiter.api.function.Executable e) {
    IllegalArgumentException x = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, e);
    return x.getMessage().contains("is not a balenaOS version") ? "is not a balenaOS version" : x.getMessage();
  }
}
