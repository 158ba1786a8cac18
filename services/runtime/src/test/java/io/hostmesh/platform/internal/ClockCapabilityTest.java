package io.hostmesh.platform.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DeviceClock#missingClockCapability}: what the device profile reads from
 * /proc/self/status to start chronyd with -x and to explain a refused clock write
 * (CAP_SYS_TIME is bit 25; status lines as the kernel writes them).
 */
class ClockCapabilityTest {
  @TempDir Path dir;

  private Optional<String> missing(String eff, String bnd) throws Exception {
    Path status = dir.resolve("status");
    Files.writeString(status, "Name:\tjava\nUid:\t0\t0\t0\t0\nCapInh:\t0000000000000000\nCapPrm:\t" + eff
        + "\nCapEff:\t" + eff + "\nCapBnd:\t" + bnd + "\nCapAmb:\t0000000000000000\n");
    return DeviceClock.missingClockCapability(status);
  }

  @Test
  void rootOnABoardMaySetTheClock() throws Exception {
    assertEquals(Optional.empty(), missing("000001ffffffffff", "000001ffffffffff"));
  }

  @Test
  void systemdNspawnLeavesItOut() throws Exception {
    // what a root process inside `systemd-nspawn --boot` has (measured): bits 24 and 25 cleared
    Optional<String> why = missing("00000000fcecbfff", "00000000fcecbfff");
    assertTrue(why.isPresent());
    assertEquals("this process lacks CAP_SYS_TIME (CapEff 00000000fcecbfff, CapBnd 00000000fcecbfff)", why.get());
  }

  @Test
  void effectiveButNotInTheBoundingSetIsNotEnoughForChildren() throws Exception {
    assertTrue(missing("0000000002000000", "0000000000000000").isPresent());
    assertTrue(missing("0000000000000000", "000001ffffffffff").isPresent(), "a non-root process");
  }

  @Test
  void unreadableStatusSaysNothing() {
    assertEquals(Optional.empty(), DeviceClock.missingClockCapability(dir.resolve("absent")));
  }
}
