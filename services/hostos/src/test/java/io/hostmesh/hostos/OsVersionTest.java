package io.hostmesh.hostos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The version check of rollback-check-version and what a HUP accepts. */
class OsVersionTest {
  @Test
  void rollbackNeedsAPreviousOsNewerThan2300() {
    assertTrue(OsVersion.greater("2.31.5", OsVersion.MIN_ROLLBACK));
    assertTrue(OsVersion.greater("2.30.0+rev1", OsVersion.MIN_ROLLBACK));
    assertTrue(OsVersion.greater("6.0.13", OsVersion.MIN_ROLLBACK));
    assertFalse(OsVersion.greater("2.30.0", OsVersion.MIN_ROLLBACK), "equal is not greater");
    assertFalse(OsVersion.greater("2.29.14", OsVersion.MIN_ROLLBACK));
    assertFalse(OsVersion.greater("2.3.0", OsVersion.MIN_ROLLBACK));
    assertFalse(OsVersion.greater("", OsVersion.MIN_ROLLBACK), "no version (no os-release) cannot be rolled back to");
  }

  @Test
  void numbersCompareAsNumbersAndRevisionsComeAfterTheirRelease() {
    assertTrue(OsVersion.compare("2.9.0", "2.10.0") < 0);
    assertTrue(OsVersion.compare("2.99.9", "2.100.0") < 0);
    assertTrue(OsVersion.compare("2.88.4", "2.88.4+rev1") < 0);
    assertTrue(OsVersion.compare("2.88.4+rev1", "2.88.4+rev2") < 0);
    assertTrue(OsVersion.compare("2.88.4+rev9", "2.88.4+rev10") < 0);
    assertTrue(OsVersion.compare("2.88.4+rev1", "2.88.5") < 0);
    assertEquals(0, OsVersion.compare("2.030.0", "2.30.0"), "leading zeros");
    assertTrue(OsVersion.compare("2.0~rc1", "2.0") < 0, "a tilde sorts before the end");
    assertTrue(OsVersion.compare("123456789012345678901234567890.0.0", "123456789012345678901234567891.0.0") < 0,
        "no overflow");
  }

  /** The comparator orders like the real {@code sort -V} (GNU coreutils) on a shuffled list. */
  @Test
  void ordersLikeSortV() throws IOException, InterruptedException {
    List<String> versions = new ArrayList<>(List.of("2.30.0", "2.31.5", "2.88.4", "2.88.4+rev1", "2.88.4+rev2",
        "2.88.4+rev10", "2.88.5", "2.9.0", "2.10.0", "2.100.0", "6.0.13", "5.1.20+rev3", "2.0~rc1", "2.0",
        "2.0.0", "2.0a", "2.0.a", "2.113.18", "1.0", "10", "2.88.4.dev", "2.88.4+rev1.prod", "2.88.4.dev~1", "0.9"));
    Collections.shuffle(versions, new Random(13));
    Process p = new ProcessBuilder("sort", "-V").redirectErrorStream(true).start();
    p.getOutputStream().write((String.join("\n", versions) + "\n").getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    List<String> mine = new ArrayList<>(versions);
    mine.sort(OsVersion.ORDER);
    assertEquals(List.of(out.strip().split("\n")), mine);
  }

  @Test
  void aHupAcceptsBalenaOsVersionsOnly() {
    assertNull(OsVersion.problem("2.88.4"));
    assertNull(OsVersion.problem("2.88.4+rev1"));
    assertNull(OsVersion.problem("6.0.13"));
    for (String bad : List.of("2.88", "v2.88.4", "2.88.4;reboot", "2.88.4+rev", "2.88.4-dev", " 2.88.4", "1234567.0.0")) {
      assertNotNull(OsVersion.problem(bad), bad);
      assertTrue(OsVersion.problem(bad).contains("is not a balenaOS version"), OsVersion.problem(bad));
    }
    assertEquals("a version is required (X.Y.Z or X.Y.Z+revN, e.g. 2.88.4 or 2.88.4+rev1)", OsVersion.problem(""));
    assertTrue(OsVersion.problem("2.8\n8.4").contains("'2.8?8.4'"), "control characters are not echoed");
  }
}
