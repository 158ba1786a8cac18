package io.hostmesh.chrony;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Until the first sync, chronyd's status is probed at 1, 2, 4, 8 s … up to the synced interval. */
class StatusBackOffTest {
  @Test
  void waitsDoubleUpToTheSyncedInterval() {
    List<Long> waits = new ArrayList<>();
    Duration poll = Duration.ofSeconds(1);
    for (int i = 0; i < 7; i++) {
      waits.add(poll.toMillis());
      poll = ChronydUnit.backOff(poll, Duration.ofSeconds(16));
    }
    assertEquals(List.of(1000L, 2000L, 4000L, 8000L, 16000L, 16000L, 16000L), waits);
    // a synced interval shorter than a second (tests) caps at once
    assertEquals(Duration.ofMillis(250), ChronydUnit.backOff(Duration.ofSeconds(1), Duration.ofMillis(250)));
  }
}
