package io.hostmesh.timesync.https;

import io.hostmesh.platform.HostFiles;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * {@code /etc/timestamp} ({@code YYYYMMDDhhmmss}, UTC; spec/units.md §0 os-helpers-time): the
 * build time, the earliest time the device can plausibly be at. Also the scripts' format for
 * times in log lines.
 */
final class BuildTimestamp {
  static final String FILE = "/etc/timestamp";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

  private BuildTimestamp() {}

  /** The build time; empty when the file is missing or not a timestamp. Blocks (a small file read). */
  static Optional<Instant> read(HostFiles files) {
    try {
      return files.read(FILE).flatMap(BuildTimestamp::parse);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static Optional<Instant> parse(String text) {
    try {
      return Optional.of(LocalDateTime.parse(text.trim(), STAMP).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** {@code YYYYMMDDhhmmss} UTC, as the scripts print times. */
  static String stamp(Instant t) {
    return STAMP.withZone(ZoneOffset.UTC).format(t);
  }
}
