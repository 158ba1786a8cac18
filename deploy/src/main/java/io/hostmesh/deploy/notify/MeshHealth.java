package io.hostmesh.deploy.notify;

import io.hostmesh.mesh.UnitResult;
import io.hostmesh.mesh.UnitStatus;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.schema.unit.UnitStateChanged;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Whether the mesh deserves a watchdog ping.
 *
 * <p>"Healthy" means: no unit has given up. A unit has given up when it is {@code failed}
 * and either its restart limit was hit (result {@code start-limit-hit}, systemd's
 * StartLimitBurst) or it has stayed {@code failed} longer than the grace period, which covers
 * the RestartSec= of units that will be restarted (a unit with Restart=no stays failed, so it
 * turns the mesh unhealthy once the grace has passed). Units waiting, skipped or exited are
 * healthy. Settings: {@code watchdog.grace-ms} (default 30000).
 *
 * <p>Threading: {@link #record} and {@link #verdict} may be called from any thread.
 */
public final class MeshHealth {
  /** Default grace before a failed unit counts as given up. */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);

  private final Duration grace;
  private final LongSupplier nanos;
  private final Map<String, Long> failedSince = new ConcurrentHashMap<>();

  public MeshHealth(Duration grace, LongSupplier nanoTime) {
    this.grace = grace;
    this.nanos = nanoTime;
  }

  /** Seeds from the units' current states (units failed before the hook started count from now). */
  public void seed(List<UnitStatus> units) {
    units.stream().filter(u -> u.state() == UnitState.FAILED).forEach(u -> failedSince.putIfAbsent(u.name(), nanos.getAsLong()));
  }

  /** Follows one state change. */
  public void record(UnitStateChanged c) {
    if (c.state() == UnitState.FAILED) {
      failedSince.putIfAbsent(c.unit(), nanos.getAsLong());
    } else {
      failedSince.remove(c.unit());
    }
  }

  /** Empty when healthy, else why not (names the unit). */
  public Optional<String> verdict(List<UnitStatus> units) {
    long now = nanos.getAsLong();
    for (UnitStatus u : units) {
      if (u.state() != UnitState.FAILED) {
        continue;
      }
      if (u.result() == UnitResult.START_LIMIT_HIT) {
        return Optional.of(u.name() + " failed: " + u.detail());
      }
      Long since = failedSince.get(u.name());
      if (since != null && now - since >= grace.toNanos()) {
        return Optional.of(u.name() + " failed longer than " + grace.toMillis() + " ms: " + u.detail());
      }
    }
    return Optional.empty();
  }

  /** The one-line unit summary for STATUS=, e.g. {@code 12 units: 9 active, 3 exited}. */
  public static String summary(List<UnitStatus> units) {
    Map<String, Integer> by = new TreeMap<>();
    units.forEach(u -> by.merge(u.state().label(), 1, Integer::sum));
    StringBuilder b = new StringBuilder(units.size() + " units:");
    String sep = " ";
    for (var e : by.entrySet()) {
      b.append(sep).append(e.getValue()).append(' ').append(e.getKey());
      sep = ", ";
    }
    return b.toString();
  }
}
