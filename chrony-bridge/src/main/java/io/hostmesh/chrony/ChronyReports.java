package io.hostmesh.chrony;

import io.hostmesh.schema.chrony.ChronySource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Parsers for chronyc's CSV output ({@code -c}). Malformed lines are skipped, never guessed. */
final class ChronyReports {
  private ChronyReports() {}

  /**
   * {@code chronyc -c tracking}.
   *
   * @param refId the reference ID in hex; {@code 00000000} when never synchronised
   * @param stratum chronyd's stratum
   * @param refTime the time of the last clock update; null when never
   * @param correctionSeconds chronyc's "System time": what must be added to the system clock to
   *     get NTP time (negative when the clock is fast)
   * @param leapStatus {@code Normal}, {@code Not synchronised}, ...
   */
  record Tracking(String refId, int stratum, Instant refTime, double correctionSeconds, String leapStatus) {
    boolean hasReference() {
      return !refId.isEmpty() && !refId.chars().allMatch(c -> c == '0');
    }
  }

  /** Parses the one line of {@code chronyc -c tracking}. */
  static Tracking tracking(String csv) {
    String line = csv.strip();
    String[] f = line.split(",", -1);
    if (f.length < 14) {
      throw new IllegalArgumentException("unexpected chronyc tracking output: " + SourceNames.quote(line));
    }
    double refEpoch = Double.parseDouble(f[3]);
    Instant refTime = refEpoch == 0 ? null
        : Instant.ofEpochSecond((long) Math.floor(refEpoch), Math.round((refEpoch - Math.floor(refEpoch)) * 1e9));
    // chronyc prints the correction with its sign in CSV; "seconds fast of NTP time" is negative
    return new Tracking(f[0], Integer.parseInt(f[2]), refTime, Double.parseDouble(f[4]), f[13]);
  }

  /** Parses {@code chronyc -c -n sources}: mode, state, address, stratum, poll, reach, ... offset. */
  static List<ChronySource> sources(String csv) {
    List<ChronySource> out = new ArrayList<>();
    for (String line : csv.split("\n")) {
      String[] f = line.strip().split(",", -1);
      if (f.length < 10) {
        continue;
      }
      try {
        out.add(new ChronySource(f[0], f[1], f[2], Integer.parseInt(f[3]), Integer.parseInt(f[5], 8),
            Double.parseDouble(f[7])));
      } catch (NumberFormatException e) {
        // not a source line (chronyc printed something else): skip it
      }
    }
    return List.copyOf(out);
  }
}
