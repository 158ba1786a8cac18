package io.hostmesh.api;

import io.hostmesh.mesh.Mesh;
import io.hostmesh.mesh.UnitStatus;
import io.hostmesh.schema.unit.UnitState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.reflect.RecordComponent;
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
        FunctionCounter.builder("hostmesh_time_sets", mesh, m -> m.clockSets().getOrDefault(source, 0L))
            .tag("source", source).description("System clock sets by source").register(registry);
      }
    }
    for (String unit : mesh.configErrors().keySet()) {
      if (known.add("config-error:" + unit)) {
        FunctionCounter.builder("hostmesh_config_errors", mesh, m -> m.configErrors().getOrDefault(unit, 0L))
            .tag("unit", unit).description("Refused config.json documents or values").register(registry);
      }
    }
    for (String address : mesh.bus().traffic().keySet()) {
      if (known.add("bus:" + address)) {
        FunctionCounter.builder("hostmesh_bus_messages", mesh.bus(), b -> b.traffic().getOrDefault(address, 0L))
            .tag("address", address).description("Messages published or requested").register(registry);
      }
    }
    mesh.bus().latched().forEach((address, value) -> {
      if (value instanceof Record r && isStatus(address) && known.add("status:" + address)) {
        registerRecordGauges(address, r.getClass());
      }
    });
    return registry.scrape();
  }

  private static boolean isStatus(String address) {
    return address.startsWith("https.") || address.startsWith("chrony.") || address.startsWith("ssh.")
        || address.startsWith("config.status");
  }

  private void registerRecordGauges(String address, Class<?> type) {
    String prefix = "hostmesh_" + address.replaceAll("[^A-Za-z0-9]", "_");
    for (RecordComponent c : type.getRecordComponents()) {
      Class<?> t = c.getType();
      boolean numeric = t == int.class || t == long.class || t == double.class || t == float.class
          || Number.class.isAssignableFrom(t) || t == boolean.class || t == Boolean.class;
      if (!numeric) {
        continue;
      }
      String name = prefix + "_" + c.getName().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase();
      Gauge.builder(name, () -> {
        Object v = mesh.bus().latched().get(address);
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
