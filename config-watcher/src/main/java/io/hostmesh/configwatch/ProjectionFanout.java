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

/**
 * Publishes each unit's projection of the config only when it differs from the one latched, so
 * a unit hears only about the keys it reads (a hostname change reaches hostname, not dnsmasq or
 * the SSH units: meta-balena issue 2464). Starts from what the bus already latched, so a
 * restarted watcher republishes nothing. Threading: the watcher's event loop only.
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

  /** Publishes the projections of {@code config} that changed; returns their topics. */
  List<Topic<?>> publish(DeviceConfig config) {
    List<Topic<?>> changed = new ArrayList<>();
    for (Projection<?> p : ConfigTopics.PROJECTIONS) {
      if (publishOne(p, config)) {
        changed.add(p.topic());
      }
    }
    return changed;
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
