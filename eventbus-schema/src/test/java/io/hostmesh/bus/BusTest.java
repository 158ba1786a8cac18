package io.hostmesh.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class BusTest {
  record Reading(String name, int value) {}

  record Stamp(String name, Instant at) {}

  static final Topic<Reading> STATE = Topic.state("test.state", Reading.class);
  static final Topic<Reading> EVENT = Topic.event("test.event", Reading.class);
  static final Topic.Request<Reading, Reading> DOUBLE = Topic.request("test.double", Reading.class, Reading.class);

  @Test
  void lateSubscriberGetsTheLatchedValueFirst(Vertx vertx, VertxTestContext ctx) {
    Bus bus = Bus.create(vertx);
    Reading first = new Reading("a", 1);
    bus.publish(STATE, first);
    List<Reading> seen = new ArrayList<>();
    Subscription s = bus.subscribe(STATE, r -> {
      seen.add(r);
      if (r.value() == 3) { // the sentinel: everything before it has been delivered
        ctx.verify(() -> {
          assertEquals(3, seen.size(), "latched value, then the new ones, no duplicate");
          assertSame(first, seen.get(0), "records travel by reference");
          assertEquals(2, seen.get(1).value());
          assertEquals(3, bus.latest(STATE).orElseThrow().value());
          ctx.completeNow();
        });
      }
    });
    s.completion().onComplete(ctx.succeeding(v -> {
      bus.publish(STATE, new Reading("a", 2));
      bus.publish(STATE, new Reading("a", 3));
    }));
  }

  @Test
  void eventsAreNotLatched(Vertx vertx, VertxTestContext ctx) {
    Bus bus = Bus.create(vertx);
    bus.publish(EVENT, new Reading("early", 0));
    List<Reading> seen = new ArrayList<>();
    bus.subscribe(EVENT, r -> {
      seen.add(r);
      ctx.verify(() -> {
        assertEquals(List.of(new Reading("late", 1)), seen, "the early event is gone");
        ctx.completeNow();
      });
    }).completion().onComplete(ctx.succeeding(v -> bus.publish(EVENT, new Reading("late", 1))));
  }

  @Test
  void awaitCompletesOnTheFirstMatchingValue(Vertx vertx, VertxTestContext ctx) {
    Bus bus = Bus.create(vertx);
    bus.publish(STATE, new Reading("x", 1));
    Future<Reading> f = bus.await(STATE, r -> r.value() >= 3);
    bus.publish(STATE, new Reading("x", 2));
    bus.publish(STATE, new Reading("x", 3));
    f.onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(3, r.value());
      ctx.completeNow();
    })));
  }

  @Test
  void requestGetsTypedReplyAndFailureMessage(Vertx vertx, VertxTestContext ctx) {
    Bus bus = Bus.create(vertx);
    bus.serve(DOUBLE, r -> r.value() < 0 ? Future.failedFuture("negative") : Future.succeededFuture(new Reading(r.name(), r.value() * 2)))
        .completion()
        .compose(v -> bus.request(DOUBLE, new Reading("n", 21)))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> assertEquals(42, r.value()))))
        .compose(r -> bus.request(DOUBLE, new Reading("n", -1)))
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertTrue(e.getMessage().contains("negative"));
          ctx.completeNow();
        })));
  }

  @Test
  void requestWithoutHandlerFailsAsNoHandler(Vertx vertx, VertxTestContext ctx) {
    Bus.create(vertx).request(Topic.request("test.nobody", Reading.class, Reading.class), new Reading("q", 0))
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertTrue(Bus.isNoHandler(e));
          ctx.completeNow();
        })));
  }

  @Test
  void trafficCountedPerBus(Vertx vertx) {
    Bus bus = Bus.create(vertx);
    bus.publish(EVENT, new Reading("t", 1));
    bus.publish(EVENT, new Reading("t", 2));
    assertEquals(2L, bus.traffic().get(EVENT.address()));
    assertEquals(0L, Bus.create(vertx).messages(EVENT.address()));
  }

  /** Two devices on one Vert.x: neither sees the other's latched values, events or request handlers. */
  @Test
  void busesOnOneVertxAreIsolated(Vertx vertx, VertxTestContext ctx) {
    Bus a = Bus.create(vertx, "device-a");
    Bus b = Bus.create(vertx, "device-b");
    List<Reading> heardByB = new ArrayList<>();
    b.subscribe(STATE, heardByB::add).completion()
        .compose(v -> b.subscribe(EVENT, heardByB::add).completion())
        .compose(v -> a.serve(Topic.request("test.ask", Reading.class, Reading.class), r -> Future.succeededFuture(r))
            .completion())
        .onComplete(ctx.succeeding(v -> {
          a.publish(STATE, new Reading("a", 1));
          a.publish(EVENT, new Reading("a", 2));
          b.request(Topic.request("test.ask", Reading.class, Reading.class), new Reading("b", 3))
              .onComplete(ctx.failing(e -> ctx.verify(() -> {
                assertTrue(Bus.isNoHandler(e), "b must not reach a's handler: " + e);
                assertTrue(b.latest(STATE).isEmpty(), "b must not see a's latched value");
                assertEquals(new Reading("a", 1), a.latest(STATE).orElseThrow());
                assertTrue(heardByB.isEmpty(), "b heard " + heardByB);
                assertEquals("device-a", a.scope());
                ctx.completeNow();
              })));
        }));
  }

  @Test
  void wireCodecRoundTripsRecordsWithInstants() {
    JsonRecordCodec codec = new JsonRecordCodec();
    Stamp s = new Stamp("boot", Instant.parse("2030-01-02T03:04:05Z"));
    Buffer b = Buffer.buffer();
    codec.encodeToWire(b, s);
    assertEquals(s, codec.decodeFromWire(0, b));
    assertTrue(new String(JsonRecordCodec.toJson(s)).contains("2030-01-02T03:04:05Z"));
  }

  @Test
  void stateValuesArriveInPublishOrder(Vertx vertx, VertxTestContext ctx) throws Exception {
    Bus bus = Bus.create(vertx);
    int n = 2000;
    List<Integer> seen = new ArrayList<>();
    bus.subscribe(STATE, r -> {
      seen.add(r.value());
      if (r.value() == n) {
        ctx.verify(() -> {
          for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) > seen.get(i - 1), "values arrive in publish order");
          }
          ctx.completeNow();
        });
      }
    }).completion().onComplete(ctx.succeeding(v -> {
      for (int i = 1; i <= n; i++) {
        bus.publish(STATE, new Reading("c", i));
      }
    }));
    assertTrue(ctx.awaitCompletion(10, TimeUnit.SECONDS));
  }

  @Test
  void aTopicWithoutSubscribersIsCountedAndLatchedAndACancelledOneGetsNothingMore(Vertx vertx, VertxTestContext ctx) {
    Bus bus = Bus.create(vertx);
    bus.publish(EVENT, new Reading("nobody", 0));
    bus.publish(STATE, new Reading("nobody", 1));
    assertEquals(1L, bus.messages(EVENT.address()), "counted though nobody listens");
    assertEquals(1, bus.latest(STATE).orElseThrow().value());
    List<Reading> cancelledSaw = new ArrayList<>();
    List<Reading> kept = new ArrayList<>();
    Subscription gone = bus.subscribe(EVENT, cancelledSaw::add);
    Subscription[] stays = new Subscription[1];
    stays[0] = bus.subscribe(EVENT, r -> {
      kept.add(r);
      if (r.value() == 3) {
        ctx.verify(() -> {
          assertEquals(List.of(2, 3), kept.stream().map(Reading::value).toList());
          assertEquals(List.of(), cancelledSaw, "cancelled before anything was published");
          stays[0].cancel();
          bus.publish(EVENT, new Reading("after", 4)); // no subscriber left: not delivered, still counted
          assertEquals(4L, bus.messages(EVENT.address()));
          // a new subscriber after the last one went hears what comes next
          bus.subscribe(EVENT, x -> ctx.verify(() -> {
            assertEquals(5, x.value());
            ctx.completeNow();
          })).completion().onComplete(ctx.succeeding(v -> bus.publish(EVENT, new Reading("next", 5))));
        });
      }
    });
    gone.cancel();
    gone.cancel(); // twice: the other subscription still counts
    stays[0].completion().onComplete(ctx.succeeding(v -> {
      bus.publish(EVENT, new Reading("a", 2));
      bus.publish(EVENT, new Reading("a", 3));
    }));
  }
}
