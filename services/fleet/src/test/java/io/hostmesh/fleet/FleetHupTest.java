package io.hostmesh.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.hostos.HupOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A HUP rollout in a fleet runs the real host OS units on each device's in-memory files: 5 % of the
 * images have a broken engine, and exactly those devices roll back (rollback-health-triggered),
 * the rest commit, each at the time the spec's health check gives; the same run twice gives the same bytes.
 */
class FleetHupTest {
  static final int DEVICES = 40;
  static final long SEED = 3;
  /** The update at 300 s; rollback-health waits 60 s, then tests every 60 s, 15 times. */
  static final String ROLLOUT = """
      {"name": "hup", "devices": 40, "seed": 3, "durationSeconds": 2400, "bootSpreadSeconds": 60,
       "mixes": [{"name": "board", "share": 1, "rtc": true}],
       "events": [{"at": 300, "kind": "hup", "share": 1, "version": "2.89.0", "brokenShare": 0.05, "break": "engine"}]}
      """;

  record Outcome(long at, HupOutcome outcome, List<String> breadcrumbs) {}

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void exactlyTheBrokenDevicesRollBackByHealthAndTheRestCommit(@TempDir Path tmp) throws Exception {
    Scenario s = Scenario.parse(ROLLOUT);
    Set<Integer> broken = IntStream.range(0, DEVICES).filter(i -> DeviceDraw.brokenHup(SEED, 0, i, 0.05)).boxed()
        .collect(Collectors.toCollection(TreeSet::new));
    assertTrue(broken.size() >= 1 && broken.size() < DEVICES / 4, "the seed gives a few broken images: " + broken);
    Map<Integer, Outcome> outcomes = new TreeMap<>();
    PartitionResult r = FleetBehaviourTest.runAll(s, 2, new FleetPartition.Observer() {
      @Override
      public synchronized void hup(int device, long t, HupOutcome outcome, List<String> breadcrumbs) {
        Outcome before = outcomes.put(device, new Outcome(t, outcome, breadcrumbs));
        assertEquals(null, before, "one outcome per device");
      }
    });

    assertEquals(DEVICES, outcomes.size(), "every device ended its update: " + outcomes.keySet());
    Set<Integer> rolledBack = new TreeSet<>();
    outcomes.forEach((id, o) -> {
      if (o.outcome() == HupOutcome.ROLLED_BACK_HEALTH) {
        rolledBack.add(id);
        assertTrue(o.breadcrumbs().contains("rollback-health-triggered"), id + ": " + o);
        // the first check 60 s after the update's reboot, then 14 more 60 s apart: the 15th failure at +960 s
        assertEquals(300_000 + 60_000 + 15 * 60_000, o.at(), id + " rolled back at " + o.at());
      } else {
        assertEquals(HupOutcome.COMMITTED, o.outcome(), id + ": " + o);
        assertFalse(o.breadcrumbs().contains("rollback-health-triggered"), id + ": " + o);
        assertEquals(360_000, o.at(), id + " committed at " + o.at() + " (one health check 60 s after the reboot)");
      }
    });
    assertEquals(broken, rolledBack, "exactly the devices with a broken engine rolled back");
    assertEquals(broken.size(), r.counter("hup.requestedBroken.engine"));
    assertEquals(DEVICES - broken.size(), r.counter("hup.requested"));
    assertEquals(broken.size(), r.counter("hup.outcome.rolled_back_health"));
    assertEquals(DEVICES - broken.size(), r.counter("hup.outcome.committed"));
    // the first boot, the update's reboot into slot b, and the rollback's reboot into slot a
    assertEquals(2L * DEVICES + broken.size(), r.counter("boots"));
    assertEquals(0, r.counter("boot.panics"));
    assertEquals(Map.of(360L, (long) (DEVICES - broken.size())), r.events().get("hup.committed"));
    assertEquals(Map.of(1260L, (long) broken.size()), r.events().get("hup.rolled_back_health"));
    assertTrue(r.counters().keySet().stream().noneMatch(k -> k.startsWith("unit.failed.")), r.counters().toString());

    // deterministic: the same fleet again gives the same report bytes
    PartitionResult again = FleetBehaviourTest.runAll(s, 2, new FleetPartition.Observer() { });
    assertArrayEquals(FleetReport.from(r).json(), FleetReport.from(again).json());

    // the report: outcomes by kind over time
    FleetOutput.write(tmp, r);
    String page = Files.readString(tmp.resolve("report.html"));
    assertTrue(page.contains("<svg id=\"hup-outcomes\""), "the HUP plot");
    assertTrue(page.contains("data-kind=\"committed\"") && page.contains("data-kind=\"rolled_back_health\""), page);
    String json = Files.readString(tmp.resolve("report.json"));
    assertTrue(json.contains("\"hup.rolled_back_health\"") && json.contains("\"" + DeviceMeter.HUP_OUTCOME + "\""), json);
  }
}
