package io.hostmesh.api.shell;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Time as systemd's tools print it, in the device's time zone (UTC, as balenaOS ships). */
final class ShellFormat {
  /** {@code Thu 2024-01-04 10:00:00 UTC}: systemctl status, timedatectl, journalctl --list-boots. */
  static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
  /** {@code Thu 2024-01-04 10:00:00}: timedatectl's RTC time (no zone). */
  static final DateTimeFormatter RTC =
      DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
  /** {@code Jan 04 10:00:00}: journalctl's short output. */
  static final DateTimeFormatter JOURNAL = DateTimeFormatter.ofPattern("MMM dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
  /** {@code 2024-01-04T10:00:00+0000}: journalctl -o short-iso. */
  static final DateTimeFormatter JOURNAL_ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ", Locale.ROOT).withZone(ZoneOffset.UTC);

  private ShellFormat() {}

  static String timestamp(Instant t) {
    return TIMESTAMP.format(t);
  }

  /** systemd's relative time: {@code 850ms}, {@code 12s}, {@code 5min 3s}, {@code 2h 4min}, {@code 3 days 2h}. */
  static String span(Duration d) {
    long ms = Math.max(0, d.toMillis());
    if (ms < 1000) {
      return ms + "ms";
    }
    long s = ms / 1000;
    if (s < 60) {
      return s + "s";
    }
    long min = s / 60;
    if (min < 60) {
      return min + "min" + (s % 60 == 0 ? "" : " " + s % 60 + "s");
    }
    long h = min / 60;
    if (h < 24) {
      return h + "h" + (min % 60 == 0 ? "" : " " + min % 60 + "min");
    }
    long days = h / 24;
    return days + (days == 1 ? " day" : " days") + (h % 24 == 0 ? "" : " " + h % 24 + "h");
  }

  /** {@code Thu 2024-01-04 10:00:00 UTC; 5min ago}. */
  static String since(Instant t, Instant now) {
    return timestamp(t) + "; " + span(Duration.between(t, now)) + " ago";
  }

  /**
   * Text as a {@code printf %b} argument in one header line: backslash, newline and every byte
   * outside printable ASCII escaped ({@code \\}, {@code \n}, {@code \0ooo}), so the shim writes
   * back exactly these bytes.
   */
  static String forPrintfB(String text) {
    StringBuilder b = new StringBuilder();
    for (byte x : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if (c == '\\') {
        b.append("\\\\");
      } else if (c == '\n') {
        b.append("\\n");
      } else if (c >= 0x20 && c < 0x7f) {
        b.append((char) c);
      } else {
        b.append(String.format("\\0%03o", c));
      }
    }
    return b.toString();
  }
}
