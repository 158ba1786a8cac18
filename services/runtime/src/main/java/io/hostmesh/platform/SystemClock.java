package io.hostmesh.platform;

import io.hostmesh.schema.time.ClockSet;
import java.time.Instant;
import java.util.Optional;

/**
 * The device's system clock. {@code sim}: the host's time plus an offset kept under the device
 * root, so it survives a simulated reboot and never touches the host. {@code device}: the
 * kernel clock, set through a command.
 */
public interface SystemClock {
  Instant now();

  /** Sets the clock and remembers who did; returns what changed. */
  ClockSet set(Instant time, String source);

  /** The last set, if any since start. */
  Optional<ClockSet> lastSet();
}
