package io.hostmesh.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.https.HttpsSyncAttempt;
import io.hostmesh.schema.time.ClockSet;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the spec fixes, checked on a fleet (issue 14, item 7). */
class FleetBehaviourTest {
  /** 40 devices boot, sync, lose power at 600 s; the endpoint is down from 590 s for 30 min. */
  static final String HERD = """
      {"name": "herd", "devices": 40, "seed": 11, "durationSeconds": 3000, "bootSpreadSeconds": 20,
       "buildTime": "2029-12-01T00:00:00Z",
       "mixes": [{"name": "rtc", "share": 0.5, "rtc": true, "rtcDriftPpm": {"min": -50, "max": 50}},
                 {"name": "bare", "share": 0.5, "rtc": false}],
       "network": {"latencyMs": {"median": 80, "p99": 400}},
       "events": [{"at": 590, "kind": "endpoint-outage", "durationSeconds": 1800},
                  {"at": 600, "kind": "power-cut", "share": 1}]}
      """;

  static PartitionResult runAll(Scenario s, int partitions, FleetPartition.Observer o) throws Exception {
    List<PartitionSpec> specs = PartitionSpec.split(s.json(), s.seed(), s.devices(), partitions);
    List<Future<PartitionResult>> runs = new ArrayList<>();
    for (PartitionSpec spec : specs) {
      runs.add(FleetPartition.run(spec, o, -1));
    }
    Future.all(runs).toCompletionStage().toCompletableFuture().get(200, TimeUnit.SECONDS);
    PartitionResult m = runs.get(0).result();
    for (int i = 1; i < runs.size(); i++) {
      m = PartitionResult.merge(m, runs.get(i).result());
    }
    return m;
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void afterAPowerCutWithTheEndpointDownEveryDeviceBacksOffAndSyncsWithinOneStepOfItsReturn() throws Exception {
    Scenario s = Scenario.parse(HERD);
    Map<Integer, List<HttpsSyncAttempt>> after = new TreeMap<>();
    Map<Integer, Long> synced = new TreeMap<>();
    List<String> beforeBuild = new ArrayList<>();
    long build = Instant.parse("2029-12-01T00:00:00Z").toEpochMilli();
    PartitionResult r = runAll(s, 2, new FleetPartition.Observer() {
      @Override
      public synchronized void attempt(int device, long t, HttpsSyncAttempt a) {
        if (t >= 600_000) {
          after.computeIfAbsent(device, k -> new ArrayList<>()).add(a);
          if (a.result().ends()) {
            synced.put(device, t);
          }
        }
      }

      @Override
      public synchronized void clockSet(int device, long t, ClockSet set) {
        if (set.now().toEpochMilli() < build) {
          beforeBuild.add(device + " at " + t + ": " + set);
        }
      }
    });
    assertEquals(40, after.size(), "every device tried again after the cut");
    for (var e : after.entrySet()) {
      List<HttpsSyncAttempt> a = e.getValue();
      for (int i = 0; i < a.size() - 1; i++) {
        long expected = Math.min(2000L << Math.min(i, 5), 64_000);
        assertEquals(expected, a.get(i).nextDelayMillis(), "device " + e.getKey() + " attempt " + (i + 1));
      }
      // an RTC that kept good time makes the clock right already: "already synchronised" ends it too
      assertTrue(List.of("synchronised", "already_synchronised").contains(a.get(a.size() - 1).result().label()),
          "device " + e.getKey() + ": " + a.get(a.size() - 1));
      assertTrue(a.size() > 25, "device " + e.getKey() + " kept trying for 30 min: " + a.size());
    }
    assertEquals(40, synced.size());
    long back = 590_000 + 1_800_000;
    for (var e : synced.entrySet()) {
      assertTrue(e.getValue() >= back, "device " + e.getKey() + " synced at " + e.getValue() + " while the endpoint was down");
      // one back-off step (64 s), plus the request's own round trip (the 10 s cap at most)
      assertTrue(e.getValue() <= back + 64_000 + 10_000, "device " + e.getKey() + " synced at " + e.getValue());
    }
    assertEquals(List.of(), beforeBuild, "no clock ever set before the build time");
    assertEquals(0, r.counter("clock.setBeforeBuildTime"));
    assertEquals(80, r.counter("https.final.synchronised") + r.counter("https.final.already_synchronised"));
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void theSameScenarioSeedAndCountGiveTheSameReportBytesWhateverTheMergeOrder() throws Exception {
    Scenario s = Scenario.parse(HERD).with(24, 5L);
    FleetPartition.Observer quiet = new FleetPartition.Observer() { };
    List<PartitionSpec> specs = PartitionSpec.split(s.json(), s.seed(), s.devices(), 3);
    List<PartitionResult> first = new ArrayList<>();
    for (PartitionSpec spec : specs) {
      first.add(FleetPartition.run(spec, quiet, -1).toCompletionStage().toCompletableFuture().get(100, TimeUnit.SECONDS));
    }
    byte[] abc = FleetReport.from(PartitionResult.merge(PartitionResult.merge(first.get(0), first.get(1)), first.get(2))).json();
    byte[] cba = FleetReport.from(PartitionResult.merge(first.get(2), PartitionResult.merge(first.get(1), first.get(0)))).json();
    assertArrayEquals(abc, cba, "merge order");
    // a second run, partitions concurrently this time (each on its own loop and thread)
    byte[] again = FleetReport.from(runAll(s, 3, quiet)).json();
    assertArrayEquals(abc, again, "a second run of the same scenario, seed and count");
    String text = new String(abc, java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(text.contains("\"https.requests\""), text);
  }
}
