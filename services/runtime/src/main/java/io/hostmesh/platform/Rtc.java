package io.hostmesh.platform;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/** The hardware real-time clock. {@code sim}: {@code /dev/rtc} under the root holding epoch seconds. */
public interface Rtc {
  /** Whether the device has an RTC ({@code ConditionPathExists=/dev/rtc}). */
  boolean present();

  /** The RTC time, or empty when there is none or it cannot be read. */
  Optional<Instant> read();

  /** Writes the RTC (what the original does with hwclock on a device). */
  void write(Instant time) throws IOException;
}
