package io.hostmesh.unit.support;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * The HTTP {@code Date} header (RFC 9110 §5.6.7, IMF-fixdate = RFC 1123). Thread-safe.
 */
public final class HttpDate {
  /** {@code Sun, 06 Nov 1994 08:49:37 GMT}: two-digit day, as RFC 9110 requires of senders. */
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  private HttpDate() {}

  /** Formats an instant for a Date header (whole seconds). */
  public static String format(Instant t) {
    return FORMAT.format(t);
  }

  /** Parses an RFC 1123 date; empty when absent or malformed. */
  public static Optional<Instant> parse(String header) {
    if (header == null || header.isBlank() || header.length() > 64) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(header.trim())));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
