package io.hostmesh.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The partition contract: specs and results survive JSON, results merge in any order to the same report bytes. */
class PartitionContractTest {
  static final Map<String, String> HEADER = Map.of("scenario", "t", "seed", "7", "devices", "30",
      "durationSeconds", "600", "bucketSeconds", "60");

  static PartitionResult sample(int partition, long seed) {
    Random r = new Random(seed);
    PartitionResult p = new PartitionResult(partition, HEADER);
    for (int i = 0; i < 200; i++) {
      p.record(PartitionResult.HTTPS_SYNC, r.nextInt(120_000));
      p.record(PartitionResult.TIME_TO_TIME_SET, r.nextInt(3_000));
      p.event("https.requests", r.nextInt(600), 1);
      p.count("https.result." + (r.nextBoolean() ? "synchronised" : "timed_out"), 1);
      long t = r.nextInt(500);
      p.level("untrusted", t, 1);
      p.level("untrusted", t + r.nextInt(100), -1);
    }
    p.event("hup.rolled_back_health", 300 + partition, 2);
    return p;
  }

  @Test
  void aSpecSurvivesJsonAndTheSplitCoversEveryDeviceOnce() {
    JsonObject scenario = new JsonObject().put("name", "x").put("devices", 10);
    List<PartitionSpec> specs = PartitionSpec.split(scenario, 42, 10, 3);
    assertEquals(List.of(4, 3, 3), specs.stream().map(PartitionSpec::deviceCount).toList());
    assertEquals(List.of(0, 4, 7), specs.stream().map(PartitionSpec::firstDevice).toList());
    for (PartitionSpec s : specs) {
      assertEquals(s, PartitionSpec.fromBytes(s.toBytes()));
      assertEquals(s, PartitionSpec.fromJson(new JsonObject(s.toJson().encode())));
    }
    assertEquals(1, PartitionSpec.split(scenario, 1, 1, 8).size(), "never more partitions than devices");
    assertThrows(IllegalArgumentException.class, () -> new PartitionSpec(scenario, 1, 0, 1, 5, 6, 10));
  }

  @Test
  void aResultSurvivesBytesLosslessly() {
    PartitionResult a = sample(0, 1);
    PartitionResult back = PartitionResult.fromBytes(a.toBytes());
    assertEquals(a, back);
    assertEquals(a.histogram(PartitionResult.HTTPS_SYNC).getValueAtPercentile(99),
        back.histogram(PartitionResult.HTTPS_SYNC).getValueAtPercentile(99));
    assertArrayEquals(FleetReport.from(a).json(), FleetReport.from(back).json());
  }

  @Test
  void mergeIsAssociativeAndCommutativeAndEveryOrderGivesTheSameReportBytes() {
    PartitionResult a = sample(0, 1);
    PartitionResult b = sample(1, 2);
    PartitionResult c = sample(2, 3);
    PartitionResult left = PartitionResult.merge(PartitionResult.merge(a, b), c);
    PartitionResult right = PartitionResult.merge(a, PartitionResult.merge(b, c));
    assertEquals(left, right);
    assertEquals(PartitionResult.merge(a, b), PartitionResult.merge(b, a));
    byte[] expected = FleetReport.from(left).json();
    List<List<PartitionResult>> orders = List.of(List.of(a, b, c), List.of(a, c, b), List.of(b, a, c),
        List.of(b, c, a), List.of(c, a, b), List.of(c, b, a));
    for (List<PartitionResult> o : orders) {
      // each through bytes, as results arrive from other JVMs
      PartitionResult m = PartitionResult.fromBytes(o.get(0).toBytes());
      for (PartitionResult x : o.subList(1, 3)) {
        m = PartitionResult.merge(m, PartitionResult.fromBytes(x.toBytes()));
      }
      assertArrayEquals(expected, FleetReport.from(m).json(), "order " + o);
    }
    assertEquals(600, left.counters().values().stream().mapToLong(Long::longValue).sum());
    assertEquals(List.of(0, 1, 2), List.copyOf(left.partitions()));
  }

  @Test
  void mergeRefusesOverlapsAndOtherFleets() {
    PartitionResult a = sample(0, 1);
    var e = assertThrows(IllegalArgumentException.class, () -> PartitionResult.merge(a, sample(0, 2)));
    assertEquals("partition 0 is in both results", e.getMessage());
    PartitionResult other = new PartitionResult(1, Map.of("scenario", "u"));
    assertThrows(IllegalArgumentException.class, () -> PartitionResult.merge(a, other));
  }

  @Test
  void theReportIsCanonicalIntegersOnly() {
    String text = Canonical.text(FleetReport.from(sample(0, 1)).tree());
    assertTrue(text.indexOf("\"counters\"") < text.indexOf("\"fleet\""), "sorted keys");
    assertTrue(text.endsWith("}\n"));
    assertTrue(text.contains("\"p99\": "), text);
    assertThrows(IllegalArgumentException.class, () -> Canonical.bytes(Map.of("x", 1.5)));
    // levels: the highest value within each bucket, for every bucket of the run
    PartitionResult p = new PartitionResult(0, HEADER);
    p.level("up", 5, 3);
    p.level("up", 70, -2);
    p.level("up", 130, 1);
    assertEquals(List.of(List.of(0L, 3L), List.of(60L, 3L), List.of(120L, 2L), List.of(180L, 2L)),
        FleetReport.levelBuckets(p.levels().get("up"), 60, 200));
  }
}
