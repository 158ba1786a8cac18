package io.hostmesh.unit.support;

import io.hostmesh.schema.config.ConfigViolation;

/**
 * A config.json value a unit will not apply (a hostile or malformed value); the unit writes
 * nothing, reports it as a {@code ConfigError} and fails.
 */
public final class RefusedValue extends Exception {
  private final ConfigViolation violation;

  public RefusedValue(String pointer, String reason) {
    super(pointer + ": " + reason);
    this.violation = new ConfigViolation(pointer, reason);
  }

  public ConfigViolation violation() {
    return violation;
  }
}
