package io.hostmesh.platform;

import io.hostmesh.schema.time.ClockSet;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;

/**
 * The device's system clock. {@code sim}: the host's time plus an offset kept under the device
 * root, so it survives a simulated reboot and never touches the host. {@code device}: the
 * kernel clock, set through a command.
 *
 * <p>Threading: {@link #now()} and {@link #lastSet()} never block and may be called from any
 * thread. {@link #set} runs on the device's ordered worker (a command on a device, a file write
 * in sim) and its future completes on the caller's context; it fails, with the reason, when the
 * clock cannot be set (e.g. no CAP_SYS_TIME).
 */
public interface SystemClock {
  Instant now();

  /** Sets the clock and remembers who did; completes with what changed. */
  Future<ClockSet> set(Instant time, String source);

  /** The last set, if any since start. */
  Optional<ClockSet> lastSet();

  /**
   * Why {@link #set} failed when this process may not set the clock at all (a device profile
   * without {@code CAP_SYS_TIME}, e.g. in a container): retrying or restarting cannot help, so
   * a unit reports it and goes on instead of failing.
   */
  final class NotSettable extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public NotSettable(String message) {
      super(message);
    }
  }
}
