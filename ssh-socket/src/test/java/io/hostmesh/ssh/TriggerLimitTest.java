package io.hostmesh.ssh;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TriggerLimitTest {
  @Test
  void twoHundredInTwoSecondsThenRefused() {
    TriggerLimit limit = new TriggerLimit(TriggerLimit.DEFAULT_BURST, TriggerLimit.DEFAULT_INTERVAL);
    for (int i = 0; i < 200; i++) {
      assertTrue(limit.allow(1000 + i), "trigger " + (i + 1));
    }
    assertFalse(limit.allow(1500));
    assertFalse(limit.allow(3000), "still the same window: 2000 ms after its start");
    assertTrue(limit.allow(3001), "a new window");
  }

  @Test
  void windowStartsAtTimeZeroToo() {
    TriggerLimit limit = new TriggerLimit(2, Duration.ofSeconds(2));
    assertTrue(limit.allow(0));
    assertTrue(limit.allow(0));
    assertFalse(limit.allow(0));
    limit.reset();
    assertTrue(limit.allow(0), "reset opens a new window");
  }

  @Test
  void zeroDisablesTheLimit() {
    TriggerLimit limit = new TriggerLimit(0, Duration.ofSeconds(2));
    for (int i = 0; i < 1000; i++) {
      assertTrue(limit.allow(0));
    }
  }
}
