package io.hostmesh.schema.config;

/**
 * What config-watcher knows about config.json, latched on {@link ConfigTopics#STATUS} after every
 * look at the file; the metrics and {@code hostmesh status} read it.
 *
 * @param inForce a valid configuration is latched on {@link ConfigTopics#CONFIG}
 * @param digest SHA-256 (hex) of the bytes last examined; empty when the file was missing
 * @param checks how many times the file was examined
 * @param applied how many different valid documents were put in force
 * @param errors how many times the file was refused (missing, invalid, wrongly typed, hostile)
 * @param error the problem with the file on disk now, or {@code null} when it is the one in force
 */
public record ConfigStatus(boolean inForce, String digest, long checks, long applied, long errors, ConfigError error) {
  /** Before the first look at the file. */
  public static ConfigStatus initial() {
    return new ConfigStatus(false, "", 0, 0, 0, null);
  }
}
