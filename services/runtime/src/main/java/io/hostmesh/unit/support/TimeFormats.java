package io.hostmesh.unit.support;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The time formats of the original scripts (spec/units.md §0 os-helpers-time, §1 fake-hwclock). */
public final class TimeFormats {
  /** {@code YYYYMMDDhhmmss}, UTC: /etc/timestamp and the scripts' log lines. */
  public static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
  /** {@code YYYY-MM-DD hh:mm:ss}, UTC: fake-hwclock.data. */
  public static final DateTimeFormatter HWCLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private TimeFormats() {}

  public static String stamp(Instant t) {
    return STAMP.format(t);
  }

  /** Parses {@code YYYYMMDDhhmmss} (surrounding white space allowed). */
  public static Optional<Instant> parseStamp(String text) {
    try {
      return Optional.of(LocalDateTime.parse(text.trim(), STAMP).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Parses {@code YYYY-MM-DD hh:mm:ss}. */
  public static Optional<Instant> parseHwclock(String text) {
    try {
      return Optional.of(LocalDateTime.parse(text.trim(), HWCLOCK).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The scripts' two lines after a clock step: {@code Old time: ...}, {@code New time: ...}. */
  public static void logStep(io.hostmesh.unit.UnitLog log, Instant old, Instant now) {
    log.info("Old time: " + stamp(old));
    log.info("New time: " + stamp(now));
  }

  /** Truncates to whole seconds, as the scripts compare at 1 s resolution. */
  public static long seconds(Instant t) {
    return t.getEpochSecond();
  }
}
