package io.hostmesh.chrony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.chrony.ChronySource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Output captured from chronyd 4.3 on this machine. */
class ChronyReportsTest {
  @Test
  void parsesTracking() {
    ChronyReports.Tracking t = ChronyReports.tracking(
        "7F000002,127.0.0.2,9,1795731717.687958130,-0.000001421,-0.000000257,0.000001306,0.013,0.005,0.251,"
            + "0.000006107,0.000001086,0.5,Normal\n");
    assertEquals(9, t.stratum());
    assertEquals(-0.000001421, t.correctionSeconds());
    assertEquals(1795731717L, t.refTime().getEpochSecond());
    assertEquals("Normal", t.leapStatus());
    assertTrue(t.hasReference());
  }

  @Test
  void trackingBeforeAnySync() {
    ChronyReports.Tracking t = ChronyReports.tracking(
        "00000000,,0,0.000000000,0.000000000,0.000000000,0.000000000,0.000,0.000,0.000,1.000000000,1.000000000,0.0,Not synchronised");
    assertFalse(t.hasReference());
    assertNull(t.refTime());
    assertEquals("Not synchronised", t.leapStatus());
  }

  @Test
  void parsesSources() {
    List<ChronySource> s = ChronyReports.sources(
        "^,*,127.0.0.2,8,-1,377,0,0.000001739,0.000001482,0.000004948\n"
            + "^,?,127.0.0.3,0,0,0,-,0.000000000,0.000000000,0.000000000\n"
            + "garbage line\n");
    assertEquals(2, s.size());
    assertTrue(s.get(0).selected());
    assertEquals("127.0.0.2", s.get(0).address());
    assertEquals(255, s.get(0).reach());
    assertEquals(0.000001739, s.get(0).offsetSeconds());
    assertFalse(s.get(1).selected());
    assertEquals("?", s.get(1).state());
  }

  @Test
  void theSplitGivesWhatStripThenSplitWithNegativeLimitGives() {
    for (String line : List.of("", ",", "a", " a ,b,, ", ",,x,", "\t1,2,3\n", "^,*,127.0.0.2,8,-1,377,0,0.1,0.2,0.3")) {
      String[] expected = line.strip().split(",", -1);
      int[] cut = new int[2 * expected.length];
      assertEquals(expected.length, ChronyReports.split(line, 0, line.length(), cut), line);
      for (int k = 0; k < expected.length; k++) {
        assertEquals(expected[k], ChronyReports.field(line, cut, k), line + " field " + k);
      }
    }
  }
}
