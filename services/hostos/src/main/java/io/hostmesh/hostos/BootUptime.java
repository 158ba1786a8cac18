package io.hostmesh.hostos;

import io.hostmesh.platform.Scheduler;
import io.hostmesh.platform.Timer;
import java.time.Duration;

/**
 * One boot's view of the lifecycle's scheduler: uptime counts from the boot, as a kernel's does,
 * so a boot's timeline, journal and "Startup finished in" start near 0 on every boot and not at
 * the sum of the boots before. Timers and host time are the lifecycle's (one virtual clock across
 * boots in tests).
 */
final class BootUptime implements Scheduler {
  private final Scheduler base;
  private final long zero;

  /** Uptime 0 at {@code zeroMillis} of {@code base}'s uptime. */
  BootUptime(Scheduler base, long zeroMillis) {
    this.base = base;
    this.zero = zeroMillis;
  }

  @Override
  public long uptimeMillis() {
    return base.uptimeMillis() - zero;
  }

  @Override
  public long hostMillis() {
    return base.hostMillis();
  }

  @Override
  public Timer schedule(Duration delay, Runnable task) {
    return base.schedule(delay, task);
  }

  @Override
  public Timer periodic(Duration period, Runnable task) {
    return base.periodic(period, task);
  }

  @Override
  public Scheduler realTime() {
    Scheduler real = base.realTime();
    return real == base ? this : real;
  }
}
