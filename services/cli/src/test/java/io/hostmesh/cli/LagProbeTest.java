package io.hostmesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The p99 of the line `--exit-when-ready` prints: an upper bound from fixed buckets, never below the truth. */
class LagProbeTest {
  private static final long MS = 1_000_000L;

  @Test
  void p99IsTheUpperEdgeOfTheBucketHoldingIt() {
    LagProbe p = LagProbe.counting();
    assertEquals(0, p.quantileBucket(0.99), "no samples");
    for (int i = 0; i < 99; i++) {
      p.record(MS);
    }
    p.record(100 * MS);
    assertEquals(1.25, LagProbe.upperMillis(p.quantileBucket(0.99)), "99 of 100 at 1 ms: the outlier is the 100th");
    p.record(30 * MS);
    p.record(30 * MS);
    assertEquals(30.25, LagProbe.upperMillis(p.quantileBucket(0.99)), 1e-9, "3 of 102 late: p99 is the second largest");
  }

  @Test
  void bucketsCoverEveryLagInOrder() {
    assertEquals(0, LagProbe.bucket(0));
    assertEquals(199, LagProbe.bucket(49_999_999L));
    assertEquals(200, LagProbe.bucket(50 * MS));
    assertEquals(55.0, LagProbe.upperMillis(LagProbe.bucket(50 * MS)));
    assertEquals(389, LagProbe.bucket(999 * MS));
    assertEquals(1000.0, LagProbe.upperMillis(389));
    assertEquals(390, LagProbe.bucket(5_000 * MS));
    assertEquals(Double.POSITIVE_INFINITY, LagProbe.upperMillis(390));
    for (long ns = 0; ns < 2_000 * MS; ns += 0.1 * MS) {
      assertEquals(true, LagProbe.upperMillis(LagProbe.bucket(ns)) >= ns / 1e6, "upper edge above " + ns);
    }
  }
}
