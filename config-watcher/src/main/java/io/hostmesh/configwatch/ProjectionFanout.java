package io.hostmesh.configwatch;

import io.hostmesh.bus.Bus;
import io.hostmesh.bus.Topic;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.ConfigTopics.Projection;
import io.hostmesh.schema.config.DeviceConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Publishes each unit's projection of the config only when it differs from the one latched, so
 * a unit hears only about the keys it reads (a hostname change reaches hostname, not dnsmasq or
 * the SSH units: meta-balena issue 2464). A projection held back by a refused key is not
 * published at all: it keeps its last good value, or stays unlatched before it ever had one.
 * Starts from what the bus already latched, so a restarted watcher republishes nothing.
 * Threading: the watcher's event loop only.
 */
final class ProjectionFanout {
  private final Bus bus;
  private final Map<Topic<?>, Object> last = new HashMap<>();

  ProjectionFanout(Bus bus) {
    this.bus = bus;
    for (Projection<?> p : ConfigTopics.PROJECTIONS) {
      bus.latest(p.topic()).ifPresent(v -> last.put(p.topic(), v));
    }
  }

  /** Publishes the projections of {@code config} that changed and are not {@code held}; returns their topics. */
  List<Topic<?>> publish(DeviceConfig config, Set<Topic<?>> held) {
    List<Topic<?>> changed = new ArrayList<>();
    for (Projection<?> p : ConfigTopics.PROJECTIONS) {
      if (!held.contains(p.topic()) && publishOne(p, config)) {
        changed.add(p.topic());
      }
    }
    return changed;
  }

  /** True when every named projection has a value latched (a held one then keeps it). */
  boolean latched(List<String> names) {
    return ConfigTopics.PROJECTIONS.stream().filter(p -> names.contains(p.name())).allMatch(p -> last.containsKey(p.topic()));
  }

  private <T> boolean publishOne(Projection<T> p, DeviceConfig config) {
    T value = p.extract().apply(config);
    if (last.containsKey(p.topic()) && Objects.equals(last.get(p.topic()), value)) {
      return false;
    }
    last.put(p.topic(), value);
    bus.publish(p.topic(), value);
    return true;
  }
}
