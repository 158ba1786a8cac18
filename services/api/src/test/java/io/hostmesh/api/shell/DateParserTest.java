package io.hostmesh.api.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The date strings of {@code date -s} and {@code journalctl --since}, against the device's clock. */
class DateParserTest {
  private static final Instant NOW = Instant.parse("2024-01-04T10:00:00Z");

  @Test
  void relativeValuesCountFromTheDevicesTime() {
    assertEquals(at("2024-01-04T09:58:00Z"), DateParser.parse("-2min", NOW));
    assertEquals(at("2024-01-04T09:58:00Z"), DateParser.parse("2 minutes ago", NOW));
    assertEquals(at("2024-01-04T11:00:00Z"), DateParser.parse("+1 hour", NOW));
    assertEquals(at("2024-01-04T09:58:00Z"), DateParser.parse("-120 sec", NOW));
    assertEquals(at("2024-01-05T10:00:30Z"), DateParser.parse("+1 day 30 seconds", NOW));
    assertEquals(at("2024-01-03T00:00:00Z"), DateParser.parse("yesterday", NOW));
    assertEquals(Optional.of(NOW), DateParser.parse("now", NOW));
  }

  @Test
  void absoluteValuesAreUtcUnlessTheyNameAZone() {
    assertEquals(at("2030-01-01T00:00:00Z"), DateParser.parse("2030-01-01 00:00:00", NOW));
    assertEquals(at("2030-01-01T10:05:00Z"), DateParser.parse("2030-01-01T10:05", NOW));
    assertEquals(at("2030-01-01T09:05:00Z"), DateParser.parse("2030-01-01 10:05:00+01:00", NOW));
    assertEquals(at("2030-01-01T00:00:00Z"), DateParser.parse("2030-01-01", NOW));
    assertEquals(at("2030-01-01T10:05:00Z"), DateParser.parse("2030-01-01T10:05:00Z", NOW));
    assertEquals(at("2030-01-01T10:05:00Z"), DateParser.parse("2030-01-01 10:05 UTC", NOW));
    assertEquals(at("2024-01-04T07:30:00Z"), DateParser.parse("7:30", NOW));
    assertEquals(at("2030-01-02T00:00:00Z"), DateParser.parse("2030-01-01 +1 day", NOW));
    assertEquals(at("1970-01-01T00:16:40.5Z"), DateParser.parse("@1000.5", NOW));
  }

  @Test
  void anythingElseIsNotADate() {
    for (String bad : new String[] {"", "next blue moon", "2030-13-01", "25:00", "-2 parsecs", "2min2"}) {
      assertEquals(Optional.empty(), DateParser.parse(bad, NOW), bad);
    }
  }

  private static Optional<Instant> at(String iso) {
    return Optional.of(Instant.parse(iso));
  }
}
