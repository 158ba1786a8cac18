package io.hostmesh.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.time.TimeTopics;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.schema.unit.UnitStateChanged;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.unit.UnitDescriptor;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The timeline holds the clock sets between the state changes, both within {@code timeline.size}. */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class TimelineTest {
  @Test
  void aClockSetIsATimelineEntryBetweenTheStateChanges(Vertx vertx) {
    try (SimDevice dev = SimDevice.builder(vertx).unit(() -> TestUnits.ok(UnitDescriptor.named("one").build())).build()) {
      dev.start().await();
      dev.awaitUnit("one", UnitState.EXITED).await();
      var published = dev.await(TimeTopics.CLOCK_SET, c -> c.source().equals("test"));
      dev.mesh().platform().clock().set(Instant.parse("2031-02-03T04:05:06Z"), "test").await();
      published.await();
      io.hostmesh.platform.Poll.until(vertx, java.time.Duration.ofSeconds(5), java.time.Duration.ofMillis(2), "clock set in the timeline",
          () -> dev.mesh().timelineEntries().stream().anyMatch(ClockSetEntry.class::isInstance)).await();
      List<Object> entries = dev.mesh().timelineEntries();
      ClockSetEntry set = (ClockSetEntry) entries.get(entries.size() - 1);
      assertEquals("clock-set", set.event());
      assertEquals("test", set.source());
      assertEquals(Instant.parse("2031-02-03T04:05:06Z"), set.now());
      assertTrue(entries.get(0) instanceof UnitStateChanged, "the state changes came first");
      assertEquals(entries.size() - 1, dev.mesh().timeline().size(), "timeline(): the state changes only");
      JsonObject json = new JsonObject(io.vertx.core.buffer.Buffer.buffer(io.hostmesh.bus.JsonRecordCodec.toJson(set)));
      assertEquals(java.util.Set.of("event", "source", "previous", "now", "wallTime", "uptimeMillis"), json.fieldNames());
    }
  }

  @Test
  void clockSetsAndStateChangesShareTheRing(Vertx vertx) {
    try (SimDevice dev = SimDevice.builder(vertx).settings(j -> j.put("timeline", new JsonObject().put("size", 3)))
        .unit(() -> TestUnits.ok(UnitDescriptor.named("one").build())).build()) {
      dev.start().await();
      dev.awaitUnit("one", UnitState.EXITED).await();
      for (int i = 1; i <= 3; i++) {
        dev.mesh().platform().clock().set(Instant.parse("2031-01-01T00:00:00Z").plusSeconds(i), "test").await();
      }
      io.hostmesh.platform.Poll.until(vertx, java.time.Duration.ofSeconds(5), java.time.Duration.ofMillis(2), "three clock sets",
          () -> dev.mesh().timelineEntries().stream().allMatch(ClockSetEntry.class::isInstance)).await();
      assertEquals(3, dev.mesh().timelineEntries().size());
      assertEquals(List.of(), dev.mesh().timeline());
      assertEquals(3, dev.mesh().timelineSize());
    }
  }
}
