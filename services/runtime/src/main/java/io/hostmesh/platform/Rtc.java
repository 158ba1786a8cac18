package io.hostmesh.platform;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;

/**
 * The hardware real-time clock. {@code sim}: {@code /dev/rtc} under the root holding epoch seconds.
 *
 * <p>Threading: {@link #present()} may be called on an event loop (a file test).
 * {@link #read()} and {@link #write} run on the device's ordered worker ({@code hwclock} on a
 * device can take a second); their futures complete on the caller's context.
 */
public interface Rtc {
  /** Whether the device has an RTC ({@code ConditionPathExists=/dev/rtc}). */
  boolean present();

  /** The RTC time, or empty when there is none or it cannot be read. */
  Future<Optional<Instant>> read();

  /** Writes the RTC (what the original does with hwclock on a device). */
  Future<Void> write(Instant time);
}
