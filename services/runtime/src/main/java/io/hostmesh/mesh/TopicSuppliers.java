package io.hostmesh.mesh;

import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.bus.Bus;
import io.hostmesh.bus.Topic;
import io.hostmesh.platform.Platform;
import io.hostmesh.schema.targets.Target;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.unit.Requirement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which units supply the topics others wait for: the providers of each target, which the mesh
 * latches once every one of them is done (systemd's target reached when its units are), and the
 * units that publish a state topic themselves. A disabled provider stays one and counts as done,
 * like a skipped one, so a target latches without it. Mesh context only.
 */
final class TopicSuppliers {
  private final Map<String, UnitRecord> units;
  private final Bus bus;
  private final Platform platform;
  private final Map<Topic<Target>, List<String>> providers = new LinkedHashMap<>();
  private final Map<Topic<?>, List<String>> publishers = new HashMap<>();
  private final Set<Topic<Target>> reached = new HashSet<>();

  TopicSuppliers(Map<String, UnitRecord> units, Bus bus, Platform platform) {
    this.units = units;
    this.bus = bus;
    this.platform = platform;
    for (UnitRecord r : units.values()) {
      for (Topic<Target> t : r.descriptor.provides()) {
        providers.computeIfAbsent(t, k -> new ArrayList<>()).add(r.name());
      }
      for (Topic<?> t : r.descriptor.publishes()) {
        publishers.computeIfAbsent(t, k -> new ArrayList<>()).add(r.name());
      }
    }
  }

  /** Latches each target {@code r} provides once every provider of it is done. */
  void latchTargets(UnitRecord r) {
    for (Map.Entry<Topic<Target>, List<String>> e : providers.entrySet()) {
      Topic<Target> target = e.getKey();
      if (reached.contains(target) || !e.getValue().contains(r.name())) {
        continue;
      }
      if (e.getValue().stream().allMatch(n -> units.get(n).settled())) {
        reached.add(target);
        String name = target.address().startsWith("target.") ? target.address().substring(7) : target.address();
        bus.publish(target, new Target(name, platform.clock().now(), platform.scheduler().uptimeMillis()));
      }
    }
  }

  /**
   * How a missing requirement reads in a waiting unit's detail: its label; when only disabled
   * units publish it, that it never comes ({@code time-sync (published only by disabled chronyd)});
   * when config-watcher holds it back, the refused key ({@code config.unit.ntp (/ntpServers
   * refused: ...)}).
   */
  String missing(Requirement<?> q) {
    List<String> from = publishers.getOrDefault(q.topic(), List.of());
    boolean offOnly = !from.isEmpty() && from.stream().allMatch(n -> units.get(n).state == UnitState.DISABLED);
    String label = offOnly ? q.label() + " (published only by disabled " + String.join(", ", from) + ")" : q.label();
    return label + heldBack(q.topic());
  }

  /** Why config-watcher holds {@code topic} back (a refused key); or "". */
  private String heldBack(Topic<?> topic) {
    return bus.latest(ConfigTopics.STATUS).flatMap(s -> s.holding(topic))
        .map(k -> " (" + (k.pointer().isEmpty() ? "config.json" : k.pointer()) + " refused: " + k.reason() + ")")
        .orElse("");
  }
}
