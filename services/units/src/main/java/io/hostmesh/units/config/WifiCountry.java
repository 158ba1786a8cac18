package io.hostmesh.units.config;

import io.hostmesh.unit.support.ProjectionUnit;
import io.hostmesh.unit.support.RefusedValue;

import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.Projections.CountryConfig;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The WiFi regulatory domain half of balena-net-config (spec/units.md §7):
 * {@code iw reg set <country>}. A bad code fails this unit only; in the original it also
 * aborted DNS setup and, through Requires=, balena-ntp-config.
 */
public final class WifiCountry extends ProjectionUnit<CountryConfig> {
  /** ISO 3166-1 alpha-2 codes, plus "00", the world regulatory domain iw accepts. */
  private static final Set<String> CODES = codes();

  static boolean validCode(String code) {
    return code != null && CODES.contains(code);
  }

  public WifiCountry() {
    super("country", ConfigTopics.COUNTRY,
        b -> b.description("WiFi regulatory domain from config.json (balena-net-config)"));
  }

  @Override
  protected Future<Void> apply(CountryConfig c) throws Exception {
    String code = c.country();
    if (code == null || code.isEmpty()) {
      return Future.succeededFuture();
    }
    if (!validCode(code)) {
      throw new RefusedValue("/country", "not an ISO 3166 alpha-2 country code: \"" + Hostname.printable(code) + "\"");
    }
    return unit().processes().run(List.of("iw", "reg", "set", code), Duration.ofSeconds(10)).compose(r -> {
      if (!r.ok()) {
        return Future.failedFuture("iw reg set " + code + " failed (exit " + r.exitCode() + "): " + r.stderr().strip());
      }
      unit().log().info("Regulatory domain set to " + code + ".");
      return Future.succeededFuture();
    });
  }

  private static Set<String> codes() {
    java.util.HashSet<String> s = new java.util.HashSet<>(Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA2));
    s.add("00");
    return Set.copyOf(s);
  }
}
