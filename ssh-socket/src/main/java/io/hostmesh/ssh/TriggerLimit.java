package io.hostmesh.ssh;

import java.time.Duration;

/**
 * systemd's socket trigger limit ({@code TriggerLimitIntervalSec=}, {@code TriggerLimitBurst=};
 * for {@code Accept=yes} the defaults are 2 s and 200), with the window semantics of systemd's
 * {@code ratelimit_below()}: a window opens at the first event after the previous one expired and
 * allows {@code burst} events. Not thread-safe: used on the unit's event loop.
 */
final class TriggerLimit {
  /** systemd's default for {@code Accept=yes} sockets. */
  static final int DEFAULT_BURST = 200;
  /** systemd's default for {@code Accept=yes} sockets. */
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

  private final int burst;
  private final long intervalMillis;
  private boolean windowOpen;
  private long windowStart;
  private long count;

  TriggerLimit(int burst, Duration interval) {
    if (burst < 0 || interval.isNegative()) {
      throw new IllegalArgumentException("trigger limit must not be negative: " + burst + " in " + interval);
    }
    this.burst = burst;
    this.intervalMillis = interval.toMillis();
  }

  int burst() {
    return burst;
  }

  long intervalMillis() {
    return intervalMillis;
  }

  /** Counts one trigger at {@code nowMillis}; false when it is over the limit. 0 disables the limit. */
  boolean allow(long nowMillis) {
    if (burst == 0 || intervalMillis == 0) {
      return true;
    }
    if (!windowOpen || nowMillis - windowStart > intervalMillis) {
      windowOpen = true;
      windowStart = nowMillis;
      count = 1;
      return true;
    }
    count++;
    return count <= burst;
  }

  /** Forgets the current window (the socket was restarted). */
  void reset() {
    windowOpen = false;
    count = 0;
  }
}
