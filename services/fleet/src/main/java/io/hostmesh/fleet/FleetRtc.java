package io.hostmesh.fleet;

import io.hostmesh.platform.Rtc;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A fleet device's battery-backed RTC: it keeps ticking through power cuts, off by its drift
 * ({@code driftPpm}: positive runs fast). Absent on boards without one.
 */
final class FleetRtc implements Rtc {
  private final boolean present;
  private final LongSupplier trueMillis;
  private final double driftPpm;
  private long rtcAtRef;
  private long trueAtRef;

  FleetRtc(boolean present, LongSupplier trueMillis, double driftPpm, long initialErrorMillis) {
    this.present = present;
    this.trueMillis = trueMillis;
    this.driftPpm = driftPpm;
    this.trueAtRef = trueMillis.getAsLong();
    this.rtcAtRef = trueAtRef + initialErrorMillis;
  }

  long millis() {
    long elapsed = trueMillis.getAsLong() - trueAtRef;
    return rtcAtRef + elapsed + Math.round(elapsed * driftPpm / 1e6);
  }

  @Override
  public boolean present() {
    return present;
  }

  @Override
  public Future<Optional<Instant>> read() {
    return Future.succeededFuture(present ? Optional.of(Instant.ofEpochSecond(Math.floorDiv(millis(), 1000))) : Optional.empty());
  }

  @Override
  public Future<Void> write(Instant time) {
    if (!present) {
      return Future.failedFuture("no RTC");
    }
    rtcAtRef = time.toEpochMilli();
    trueAtRef = trueMillis.getAsLong();
    return Future.succeededFuture();
  }
}
