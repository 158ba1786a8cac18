package io.hostmesh.schema.config;

import io.hostmesh.bus.Topic;
import java.util.List;
import java.util.Optional;

/**
 * What config-watcher knows about config.json, latched on {@link ConfigTopics#STATUS} after every
 * look at the file; the metrics, {@code GET /v1/config/status}, {@code /health}, the waiting
 * units' status lines and {@code hostmesh status} read it.
 *
 * @param inForce a configuration is latched on {@link ConfigTopics#CONFIG} (wholly or with keys held back)
 * @param digest SHA-256 (hex) of the bytes last examined; empty when the file was missing
 * @param checks how many times the file was examined
 * @param applied how many different documents were put in force (wholly or in part)
 * @param errors how many examined versions of the file had a refused key or were refused whole
 * @param error the first problem with the file on disk now, or {@code null} when nothing in it is refused
 * @param refused every problem with the file on disk now, in the order the rules check them, each with what it holds
 *     back; one entry with pointer {@code ""} when the whole document is refused
 */
public record ConfigStatus(boolean inForce, String digest, long checks, long applied, long errors, ConfigError error,
    List<RefusedKey> refused) {
  public ConfigStatus {
    refused = refused == null ? List.of() : List.copyOf(refused);
  }

  /** Before the first look at the file. */
  public static ConfigStatus initial() {
    return new ConfigStatus(false, "", 0, 0, 0, null, List.of());
  }

  /** The first refusal that holds back {@code projection}, if any (a unit waiting for it shows why). */
  public Optional<RefusedKey> holding(Topic<?> projection) {
    Optional<String> name = ConfigTopics.PROJECTIONS.stream()
        .filter(p -> p.topic().address().equals(projection.address())).map(ConfigTopics.Projection::name).findFirst();
    return name.flatMap(n -> refused.stream().filter(r -> r.projections().contains(n)).findFirst());
  }
}
