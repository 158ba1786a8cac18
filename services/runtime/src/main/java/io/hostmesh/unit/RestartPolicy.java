package io.hostmesh.unit;

import java.time.Duration;

/**
 * What the supervisor does when a unit fails, after systemd's {@code Restart=},
 * {@code RestartSec=}, {@code StartLimitBurst=} and {@code StartLimitIntervalSec=}.
 *
 * @param mode when to restart
 * @param delay wait before a restart
 * @param burst at most this many starts ...
 * @param interval ... within this window, else the unit ends {@code failed} ("start-limit-hit")
 */
public record RestartPolicy(Mode mode, Duration delay, int burst, Duration interval) {
  /** {@code Restart=}. */
  public enum Mode { NO, ON_FAILURE, ALWAYS }

  /** systemd's defaults: no restart, 100 ms, 5 starts in 10 s. */
  public static final RestartPolicy NO = new RestartPolicy(Mode.NO, Duration.ofMillis(100), 5, Duration.ofSeconds(10));

  public static RestartPolicy always(Duration delay) {
    return new RestartPolicy(Mode.ALWAYS, delay, 5, Duration.ofSeconds(10));
  }

  public static RestartPolicy onFailure(Duration delay) {
    return new RestartPolicy(Mode.ON_FAILURE, delay, 5, Duration.ofSeconds(10));
  }

  public RestartPolicy withStartLimit(int burst, Duration interval) {
    return new RestartPolicy(mode, delay, burst, interval);
  }

  public boolean restartsOnFailure() {
    return mode != Mode.NO;
  }
}
