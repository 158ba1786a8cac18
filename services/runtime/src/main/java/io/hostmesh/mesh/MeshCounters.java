package io.hostmesh.mesh;

import io.hostmesh.bus.Bus;
import io.hostmesh.bus.Subscription;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.time.TimeTopics;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a mesh counts from its start, so metrics see what happened before the API was up: clock
 * sets by source, refused config documents or values by unit. Subscribed at construction and
 * let go of at {@link #close()} (a stopped device must not stay reachable through the bus).
 *
 * <p>Threading: counted on the bus's delivery threads, read from any thread.
 */
final class MeshCounters {
  private final Map<String, LongAdder> clockSets = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> configErrors = new ConcurrentHashMap<>();
  private final List<Subscription> subscriptions;

  /** {@code onClockSet} also hears every clock set (the mesh writes it into the timeline). */
  MeshCounters(Bus bus, java.util.function.Consumer<io.hostmesh.schema.time.ClockSet> onClockSet) {
    subscriptions = List.of(
        bus.subscribe(TimeTopics.CLOCK_SET, c -> {
          clockSets.computeIfAbsent(c.source(), k -> new LongAdder()).increment();
          onClockSet.accept(c);
        }),
        bus.subscribe(ConfigTopics.CONFIG_ERROR, e -> configErrors.computeIfAbsent(e.unit(), k -> new LongAdder()).increment()));
  }

  Map<String, Long> clockSets() {
    return snapshot(clockSets);
  }

  long clockSets(String source) {
    return count(clockSets, source);
  }

  Map<String, Long> configErrors() {
    return snapshot(configErrors);
  }

  long configErrors(String unit) {
    return count(configErrors, unit);
  }

  Future<Void> close() {
    return Future.join(subscriptions.stream().map(Subscription::cancel).toList()).mapEmpty();
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
    Map<String, Long> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  private static long count(Map<String, LongAdder> m, String key) {
    LongAdder a = m.get(key);
    return a == null ? 0 : a.sum();
  }
}
