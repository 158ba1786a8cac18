package io.hostmesh.unit;

import io.hostmesh.platform.Platform;
import java.util.function.Predicate;

/**
 * A start condition, like systemd's {@code ConditionPathExists=}: when false the unit is
 * {@code skipped}, which counts as done for the units and targets that wait on it.
 *
 * @param label shown in status output ({@code "path exists /dev/rtc"})
 * @param test evaluated just before the unit starts
 */
public record Condition(String label, Predicate<Platform> test) {
  /** {@code ConditionPathExists=}: the device path exists (under the device root in sim). */
  public static Condition pathExists(String devicePath) {
    return new Condition("path exists " + devicePath, p -> p.files().exists(devicePath));
  }

  /** The device has an RTC. */
  public static Condition rtcPresent() {
    return new Condition("rtc present", p -> p.rtc().present());
  }

  /** A program is installed. */
  public static Condition programAvailable(String program) {
    return new Condition("program available " + program, p -> p.processes().available(program));
  }
}
