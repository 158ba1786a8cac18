package io.hostmesh.api.shell;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The date strings of GNU {@code date -s} and {@code journalctl --since} that a test suite uses,
 * read in the device's time zone (UTC) against the device's clock: {@code @EPOCH},
 * {@code 2030-01-01 10:00[:00]} (or with a {@code T}, a zone {@code Z}/{@code UTC}/{@code +HH:MM}),
 * {@code 2030-01-01}, {@code 10:00[:00]} (today), {@code now}, {@code today}, {@code yesterday},
 * {@code tomorrow}, and relative items after any of them or alone: {@code -2min},
 * {@code +1 hour}, {@code 2 minutes ago}, {@code -120 sec}, {@code 1 day}.
 */
final class DateParser {
  private static final Pattern EPOCH = Pattern.compile("@(-?\\d+(?:\\.\\d+)?)");
  private static final Pattern ABSOLUTE = Pattern.compile(
      "(\\d{4}-\\d{2}-\\d{2})(?:[ t](\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?))?\\s*(z|utc|[+-]\\d{2}:?\\d{2})?");
  private static final Pattern TIME = Pattern.compile("(\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?)");
  private static final Pattern ITEM = Pattern.compile(
      "([+-]?)\\s*(\\d+)?\\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|h|days?|d|weeks?|w|fortnights?|months?|years?|y)\\b");

  private DateParser() {}

  /** The instant the text names, with {@code now} the device's time; empty when it cannot be read. */
  static Optional<Instant> parse(String text, Instant now) {
    String s = text.strip().toLowerCase(Locale.ROOT);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = EPOCH.matcher(s);
    if (m.matches()) {
      BigDecimal seconds = new BigDecimal(m.group(1));
      return Optional.of(Instant.ofEpochSecond(0).plusNanos(seconds.movePointRight(9).longValue()));
    }
    Instant base = now;
    String rest = s;
    m = ABSOLUTE.matcher(s);
    Matcher t = TIME.matcher(s);
    try {
      if (m.lookingAt()) {
        LocalDate day = LocalDate.parse(m.group(1));
        LocalTime time = m.group(2) == null ? LocalTime.MIDNIGHT : LocalTime.parse(pad(m.group(2)));
        ZoneOffset zone = m.group(3) == null || m.group(3).equals("z") || m.group(3).equals("utc")
            ? ZoneOffset.UTC : ZoneOffset.of(m.group(3).length() == 5 ? m.group(3).substring(0, 3) + ":" + m.group(3).substring(3) : m.group(3));
        base = OffsetDateTime.of(LocalDateTime.of(day, time), zone).toInstant();
        rest = s.substring(m.end());
      } else if (t.lookingAt()) {
        base = LocalDateTime.of(LocalDate.ofInstant(now, ZoneOffset.UTC), LocalTime.parse(pad(t.group(1))))
            .toInstant(ZoneOffset.UTC);
        rest = s.substring(t.end());
      } else {
        for (String word : new String[] {"now", "today", "yesterday", "tomorrow"}) {
          if (s.startsWith(word)) {
            Instant midnight = now.truncatedTo(ChronoUnit.DAYS);
            base = switch (word) {
              case "now" -> now;
              case "today" -> midnight;
              case "yesterday" -> midnight.minus(Duration.ofDays(1));
              default -> midnight.plus(Duration.ofDays(1));
            };
            rest = s.substring(word.length());
            break;
          }
        }
      }
    } catch (java.time.DateTimeException e) {
      return Optional.empty();
    }
    return relative(rest.strip(), base);
  }

  /** The relative items after the base ({@code -2min}, {@code 1 hour ago}); empty on anything else. */
  private static Optional<Instant> relative(String s, Instant base) {
    boolean ago = s.endsWith("ago");
    if (ago) {
      s = s.substring(0, s.length() - 3).strip();
    }
    Duration total = Duration.ZERO;
    int at = 0;
    Matcher m = ITEM.matcher(s);
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at) {
        return Optional.empty();
      }
      long n = m.group(2) == null ? 1 : Long.parseLong(m.group(2));
      if (m.group(1).equals("-")) {
        n = -n;
      }
      total = total.plus(unit(m.group(3)).multipliedBy(n));
      at = m.end();
      while (at < s.length() && s.charAt(at) == ' ') {
        at++;
      }
    }
    return Optional.of(ago ? base.minus(total) : base.plus(total));
  }

  private static Duration unit(String u) {
    return switch (u.charAt(0)) {
      case 's' -> Duration.ofSeconds(1);
      case 'm' -> u.startsWith("mo") ? Duration.ofDays(30) : Duration.ofMinutes(1);
      case 'h' -> Duration.ofHours(1);
      case 'd' -> Duration.ofDays(1);
      case 'w' -> Duration.ofDays(7);
      case 'f' -> Duration.ofDays(14);
      default -> Duration.ofDays(365);
    };
  }

  /** {@code 9:05} → {@code 09:05}, as LocalTime reads it. */
  private static String pad(String time) {
    return time.indexOf(':') == 1 ? "0" + time : time;
  }
}
