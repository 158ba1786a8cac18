package io.hostmesh.mesh;

import io.hostmesh.schema.config.ConfigStatus;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.RefusedKey;
import io.hostmesh.schema.unit.UnitState;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How the mesh is: {@code /health}, {@code hostmesh status} and the systemd watchdog
 * ({@code deploy}'s SdNotifyHook) judge it here.
 *
 * <p>{@link Level#FAILED FAILED}: a unit has given up. A unit has given up when it is
 * {@code failed} and either its restart limit was hit (result {@code start-limit-hit},
 * systemd's StartLimitBurst) or it has stayed {@code failed} longer than the grace, which
 * covers the RestartSec= of units that will be restarted (a unit with Restart=no stays failed,
 * so it fails the mesh once the grace has passed). A unit being restarted by its own policy is
 * not a failed mesh.
 *
 * <p>{@link Level#DEGRADED DEGRADED} (not failed): a unit is failed but may still come back,
 * a config.json key (or the whole file) is refused, or no configuration has ever been in
 * force. The config reasons count only in a mesh that has a config watcher (a unit that
 * publishes {@link ConfigTopics#STATUS}). Units waiting, skipped or exited are healthy.
 *
 * <p>Time is the mesh's uptime ({@code Scheduler.uptimeMillis()}: virtual on a virtual-time
 * device), so the verdict needs no state of its own. Threading: immutable, any thread.
 */
public final class MeshHealth {
  /** Default grace before a failed unit counts as given up. */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);

  /** The verdict, best first. */
  public enum Level { UP, DEGRADED, FAILED }

  /**
   * A verdict with its reasons.
   *
   * @param status up, degraded or failed
   * @param reasons why not up, one line each (empty when up)
   * @param failed the units that have given up
   * @param settled no unit is inactive, waiting, activating or stopping
   */
  public record Report(Level status, List<String> reasons, List<String> failed, boolean settled) {
    public Report {
      reasons = List.copyOf(reasons);
      failed = List.copyOf(failed);
    }
  }

  private final Duration grace;

  public MeshHealth(Duration grace) {
    this.grace = grace;
  }

  /** With the grace of {@code health.failedGraceMs} in the settings (default {@link #DEFAULT_GRACE}). */
  public static MeshHealth of(MeshSettings settings) {
    JsonObject health = settings.json().getJsonObject("health", new JsonObject());
    return new MeshHealth(Duration.ofMillis(health.getLong("failedGraceMs", DEFAULT_GRACE.toMillis())));
  }

  /** Empty when no unit has given up, else why (names the first such unit). */
  public Optional<String> verdict(List<UnitStatus> units, long uptimeMillis) {
    for (UnitStatus u : units) {
      if (u.state() != UnitState.FAILED) {
        continue;
      }
      if (u.result() == UnitResult.START_LIMIT_HIT) {
        return Optional.of(u.name() + " failed: " + u.detail());
      }
      if (failedFor(u, uptimeMillis) >= grace.toMillis()) {
        return Optional.of(u.name() + " failed longer than " + grace.toMillis() + " ms: " + u.detail());
      }
    }
    return Optional.empty();
  }

  /** The mesh's verdict now, with every reason. */
  public Report report(Mesh mesh) {
    List<UnitStatus> units = mesh.units();
    long now = mesh.platform().scheduler().uptimeMillis();
    List<String> reasons = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (UnitStatus u : units) {
      if (u.state() != UnitState.FAILED) {
        continue;
      }
      Optional<String> gaveUp = verdict(List.of(u), now);
      if (gaveUp.isPresent()) {
        failed.add(u.name());
        reasons.add(gaveUp.get());
      } else {
        reasons.add(u.name() + " failed, restart pending: " + u.detail());
      }
    }
    if (mesh.descriptors().stream().anyMatch(d -> d.publishes().contains(ConfigTopics.STATUS))) {
      config(mesh.bus().latest(ConfigTopics.STATUS).orElse(ConfigStatus.initial())).ifPresent(reasons::add);
    }
    Level level = !failed.isEmpty() ? Level.FAILED : reasons.isEmpty() ? Level.UP : Level.DEGRADED;
    return new Report(level, reasons, failed, mesh.allSettled());
  }

  /** Why config.json makes the mesh degraded, if it does. */
  static Optional<String> config(ConfigStatus s) {
    List<RefusedKey> refused = s.refused();
    if (!s.inForce()) {
      return Optional.of("no config.json has been in force yet"
          + (refused.isEmpty() ? "" : ": " + refused.get(0)));
    }
    if (refused.isEmpty()) {
      return Optional.empty();
    }
    if (refused.get(0).pointer().isEmpty()) {
      return Optional.of("config.json refused, the last good config stays in force: " + refused.get(0).reason());
    }
    return Optional.of(refused.size() + (refused.size() == 1 ? " config.json key" : " config.json keys")
        + " refused, first " + refused.get(0) + " (GET /v1/config/status lists every one)");
  }

  private static long failedFor(UnitStatus u, long uptimeMillis) {
    long since = u.settledMillis() >= 0 ? u.settledMillis() : u.sinceMillis();
    return uptimeMillis - since;
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
