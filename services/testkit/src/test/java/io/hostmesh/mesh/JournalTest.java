package io.hostmesh.mesh;

import io.hostmesh.testing.ScriptedUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.unit.LogLevel;
import io.hostmesh.schema.unit.LogLine;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.unit.UnitDescriptor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
@org.junit.jupiter.api.Timeout(30)
class JournalTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  private static LogLine line(String unit, int second, String message) {
    return new LogLine(unit, LogLevel.INFO, message, T0.plusSeconds(second), second * 1000L);
  }

  @Test
  void theRingKeepsTheLastLinesAndAnswersByUnitTimeCursorAndTail() {
    Journal j = new Journal("b00t", 5);
    for (int i = 1; i <= 7; i++) {
      j.add(line(i % 2 == 0 ? "even" : "odd", i, "line " + i));
    }
    assertEquals(List.of(3L, 4L, 5L, 6L, 7L), j.query(Journal.Query.ALL).stream().map(JournalEntry::seq).toList());
    assertEquals(2, j.dropped());
    assertEquals(List.of("line 3", "line 5", "line 7"), messages(j.query(Journal.Query.ALL.unit("odd"))));
    assertEquals(List.of("line 5", "line 6", "line 7"), messages(j.query(Journal.Query.ALL.since(T0.plusSeconds(5)))));
    assertEquals(List.of("line 6", "line 7"), messages(j.query(Journal.Query.ALL.after(5))));
    assertEquals(List.of("line 5", "line 7"), messages(j.query(Journal.Query.ALL.unit("odd").lines(2))));
    assertEquals("b00t", j.query(Journal.Query.ALL).get(0).boot());
    assertThrows(IllegalArgumentException.class, () -> new Journal("x", 0));
  }

  @Test
  void aLongMessageIsCut() {
    Journal j = new Journal("b", 2);
    j.add(line("u", 1, "x".repeat(Journal.MAX_MESSAGE + 100)));
    assertEquals(Journal.MAX_MESSAGE + 1, j.query(Journal.Query.ALL).get(0).message().length());
  }

  @Test
  void aFollowerGetsEveryLineAfterItsBacklogOnceAndInOrderWhileManyThreadsLog() throws Exception {
    Journal j = new Journal("b", 100_000);
    int threads = 4;
    int each = 2_000;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String unit = "u" + t;
      Thread w = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < each; i++) {
          j.add(line(unit, i, unit + " " + i));
        }
      });
      w.start();
      writers.add(w);
    }
    go.countDown();
    List<JournalEntry> live = new CopyOnWriteArrayList<>();
    Journal.Follow f = j.follow(Journal.Query.ALL, live::add);
    for (Thread w : writers) {
      w.join(10_000);
    }
    f.cancel();
    List<Long> seen = new ArrayList<>(f.backlog().stream().map(JournalEntry::seq).toList());
    live.forEach(e -> seen.add(e.seq()));
    List<Long> expected = new ArrayList<>();
    for (long s = 1; s <= (long) threads * each; s++) {
      expected.add(s);
    }
    assertEquals(expected, seen, "backlog + live = every line once, in order");
    assertEquals(0, j.followers());
  }

  @Test
  void theMeshJournalsEveryUnitLineWithItsBootAndSize(Vertx vertx) {
    try (SimDevice dev = SimDevice.builder(vertx)
        .settings(j -> j.put("journal", new JsonObject().put("size", 3)))
        .unit(() -> new ScriptedUnit(UnitDescriptor.named("chatty").build(), u -> {
          for (int i = 1; i <= 4; i++) {
            u.log().info("hello " + i);
          }
          u.log().warn("careful");
          return Future.succeededFuture();
        }))
        .build()) {
      dev.start().await();
      dev.mesh().whenSettled().await();
      List<JournalEntry> lines = dev.mesh().journal().query(Journal.Query.ALL.unit("chatty"));
      assertEquals(List.of("hello 3", "hello 4", "careful"), messages(lines));
      assertEquals(LogLevel.WARN, lines.get(2).level());
      assertTrue(dev.mesh().bootId().matches("[0-9a-f]{32}"), dev.mesh().bootId());
      assertEquals(dev.mesh().bootId(), lines.get(0).boot());
    }
  }

  @Test
  void aKeptBootsLinesAreSelectedAsTheRingsAndCarryTheirBootIdInJson() throws Exception {
    Journal j = new Journal("0123456789abcdef0123456789abcdef", 10);
    for (int i = 1; i <= 7; i++) {
      j.add(line(i % 2 == 0 ? "even" : "odd", i, "line " + i));
    }
    List<JournalEntry> kept = j.query(Journal.Query.ALL);
    for (Journal.Query q : List.of(Journal.Query.ALL, Journal.Query.ALL.unit("odd"), Journal.Query.ALL.since(T0.plusSeconds(5)),
        Journal.Query.ALL.after(5), Journal.Query.ALL.unit("odd").lines(2), Journal.Query.ALL.lines(20))) {
      assertEquals(j.query(q), q.select(kept), q.toString());
    }
    byte[] json = io.hostmesh.bus.JsonRecordCodec.toJson(kept.get(0));
    JsonObject o = new JsonObject(io.vertx.core.buffer.Buffer.buffer(json));
    assertEquals("0123456789abcdef0123456789abcdef", o.getString("bootId"), o.encode());
    assertEquals(o.getString("bootId"), o.getString("boot"));
    assertEquals(kept.get(0), io.hostmesh.bus.JsonRecordCodec.fromJson(json, JournalEntry.class), "read back as it was");
  }

  private static List<String> messages(List<JournalEntry> l) {
    return l.stream().map(JournalEntry::message).toList();
  }
}
