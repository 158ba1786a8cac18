package io.hostmesh.schema.config;

import java.util.List;

/**
 * One violation in config.json as config-watcher acts on it: the key is refused and the
 * projections that read it keep their last good value (or, before any, their units wait).
 *
 * @param pointer where, as a JSON pointer ({@code /ntpServers}); {@code ""}: the whole document is refused
 * @param reason what is wrong, in words
 * @param projections the projections it holds back, by name ({@code ntp}); empty when no unit reads the key
 */
public record RefusedKey(String pointer, String reason, List<String> projections) {
  public RefusedKey {
    projections = List.copyOf(projections);
  }

  /** The refusal of {@code v} with the projections that read its key ({@link ConfigTopics#readers}). */
  public static RefusedKey of(ConfigViolation v) {
    return new RefusedKey(v.pointer(), v.reason(),
        ConfigTopics.readers(v.pointer()).stream().map(ConfigTopics.Projection::name).toList());
  }

  @Override
  public String toString() {
    return (pointer.isEmpty() ? "(document)" : pointer) + ": " + reason;
  }
}
