package io.hostmesh.api;

import io.hostmesh.bus.Facet;

import io.hostmesh.mesh.Mesh;
import io.hostmesh.mesh.UnitStatus;
import io.hostmesh.schema.unit.UnitState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.hostmesh.mesh.EventLoopLag;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.HashSet;
import java.util.Set;

/**
 * The mesh in Prometheus form: unit states and restarts, clock sets by source, config errors,
 * event-bus traffic per address, and every numeric field of the latched status records of the
 * units ({@code https.*}, {@code chrony.*}, {@code ssh.*}, {@code config.status}) as gauges, so
 * a unit publishes a status record and gets its metrics without code here.
 */
public final class MeshMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Mesh mesh;
  private final Set<String> known = new HashSet<>();

  public MeshMetrics(Mesh mesh) {
    this.mesh = mesh;
  }

  /**
   * Exports the probe's samples as {@code hostmesh_event_loop_lag_seconds{loop="N"}}: a histogram
   * with fixed buckets from 1 ms to 5 s (a dozen series per loop, cheap to scrape on a small
   * device, and aggregatable, which client-side percentiles are not) plus the largest lag
   * recently seen ({@code _max}). Returns what unbinds it.
   */
  public Runnable bindEventLoopLag(EventLoopLag lag) {
    Timer[] timers = new Timer[lag.loops()];
    for (int i = 0; i < timers.length; i++) {
      timers[i] = Timer.builder("hostmesh.event.loop.lag").tag("loop", Integer.toString(i))
          .description("How late a timer due every " + lag.period().toMillis() + " ms fired on this event loop")
          .serviceLevelObjectives(LAG_BUCKETS).register(registry);
    }
    EventLoopLag.Listener l = (loop, nanos) -> timers[loop].record(nanos, TimeUnit.NANOSECONDS);
    lag.addListener(l);
    return () -> lag.removeListener(l);
  }

  private static final Duration[] LAG_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5)};

  /** The Prometheus text exposition; registers meters for units and addresses seen since the last scrape. */
  public String scrape() {
    for (UnitStatus u : mesh.units()) {
      if (known.add("unit:" + u.name())) {
        for (UnitState s : UnitState.values()) {
          Gauge.builder("hostmesh_unit_state", () -> mesh.unit(u.name()).map(x -> x.state() == s ? 1 : 0).orElse(0))
              .tag("unit", u.name()).tag("state", s.label()).description("1 for the unit's current state")
              .register(registry);
        }
        FunctionCounter.builder("hostmesh_unit_restarts", mesh, m -> m.unit(u.name()).map(UnitStatus::restarts).orElse(0))
            .tag("unit", u.name()).description("Restarts by the supervisor").register(registry);
      }
    }
    for (String source : mesh.clockSets().keySet()) {
      if (known.add("clock:" + source)) {
        FunctionCounter.builder("hostmesh_time_sets", mesh, m -> m.clockSets(source))
            .tag("source", source).description("System clock sets by source").register(registry);
      }
    }
    for (String unit : mesh.configErrors().keySet()) {
      if (known.add("config-error:" + unit)) {
        FunctionCounter.builder("hostmesh_config_errors", mesh, m -> m.configErrors(unit))
            .tag("unit", unit).description("Refused config.json documents or values").register(registry);
      }
    }
    for (String address : mesh.bus().traffic().keySet()) {
      if (known.add("bus:" + address)) {
        FunctionCounter.builder("hostmesh_bus_messages", mesh.bus(), b -> b.messages(address))
            .tag("address", address).description("Messages published or requested").register(registry);
      }
    }
    mesh.bus().latched(Facet.STATUS).forEach((address, value) -> {
      if (value instanceof Record r) {
        if (known.add("status:" + address)) {
          registerRecordGauges(address, r.getClass());
        }
        registerMapGauges(address, r);
      }
    });
    return registry.scrape();
  }

  /** A map of counts in a status record (e.g. attempts by result) → one gauge per key, tagged {@code key}. */
  private void registerMapGauges(String address, Record r) {
    for (RecordComponent c : r.getClass().getRecordComponents()) {
      if (!java.util.Map.class.isAssignableFrom(c.getType())) {
        continue;
      }
      try {
        java.util.Map<?, ?> m = (java.util.Map<?, ?>) c.getAccessor().invoke(r);
        if (m == null) {
          continue;
        }
        for (var e : m.entrySet()) {
          String key = String.valueOf(e.getKey());
          if (e.getValue() instanceof Number && known.add("map:" + address + ":" + c.getName() + ":" + key)) {
            Gauge.builder(metricName(address, c.getName()), () -> mapValue(address, c, key))
                .tag("key", key).description(r.getClass().getSimpleName() + "." + c.getName() + " from " + address)
                .register(registry);
          }
        }
      } catch (ReflectiveOperationException ignored) {
        // a record accessor does not throw
      }
    }
  }

  private double mapValue(String address, RecordComponent c, String key) {
    Object v = mesh.bus().latchedValue(address);
    try {
      Object m = v == null ? null : c.getAccessor().invoke(v);
      Object x = m instanceof java.util.Map<?, ?> map ? map.get(key) : null;
      return x instanceof Number n ? n.doubleValue() : Double.NaN;
    } catch (ReflectiveOperationException | IllegalArgumentException e) {
      return Double.NaN;
    }
  }

  private static String metricName(String address, String component) {
    return "hostmesh_" + address.replaceAll("[^A-Za-z0-9]", "_") + "_"
        + component.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase();
  }

  private void registerRecordGauges(String address, Class<?> type) {
    for (RecordComponent c : type.getRecordComponents()) {
      Class<?> t = c.getType();
      boolean numeric = t == int.class || t == long.class || t == double.class || t == float.class
          || Number.class.isAssignableFrom(t) || t == boolean.class || t == Boolean.class;
      if (!numeric) {
        continue;
      }
      String name = metricName(address, c.getName());
      Gauge.builder(name, () -> {
        Object v = mesh.bus().latchedValue(address);
        if (v == null || !type.isInstance(v)) {
          return Double.NaN;
        }
        try {
          Object x = c.getAccessor().invoke(v);
          return x instanceof Boolean b ? (b ? 1 : 0) : x == null ? Double.NaN : ((Number) x).doubleValue();
        } catch (ReflectiveOperationException e) {
          return Double.NaN;
        }
      }).description(type.getSimpleName() + "." + c.getName() + " from " + address).register(registry);
    }
  }
}
