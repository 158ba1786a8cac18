package io.hostmesh.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A small fleet boots, syncs over HTTPS and NTP, and measures it. */
class FleetSmokeTest {
  static final String SCENARIO = """
      {"name": "smoke", "devices": 20, "seed": 3, "durationSeconds": 900, "bootSpreadSeconds": 30,
       "mixes": [{"name": "rtc", "share": 0.5, "rtc": true, "initialClockErrorSeconds": {"min": -100, "max": 100}},
                 {"name": "bare", "share": 0.5, "rtc": false}],
       "endpoint": {"outages": [{"from": 0, "to": 120}]},
       "events": [{"at": 300, "kind": "config-rollout", "share": 1, "set": {"hostname": "fleet"}}]}
      """;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aSmallFleetSyncs() throws Exception {
    Scenario s = Scenario.parse(SCENARIO);
    PartitionSpec spec = PartitionSpec.split(s.json(), s.seed(), s.devices(), 1).get(0);
    PartitionResult r = FleetPartition.runner().run(spec).toCompletionStage().toCompletableFuture().get(100, TimeUnit.SECONDS);
    assertEquals(20, r.counter("boots"));
    assertEquals(20, r.histogram(PartitionResult.HTTPS_SYNC).getTotalCount(), r.counters().toString());
    assertEquals(20, r.histogram(PartitionResult.NTP_SYNC).getTotalCount(), r.counters().toString());
    assertEquals(20, r.counter("config.applied"), r.counters().toString());
    assertEquals(0, r.counter("clock.setBeforeBuildTime"));
    assertTrue(r.histogram(PartitionResult.HTTPS_SYNC).getMinValue() >= 90_000, "not before the endpoint is back");
  }
}
