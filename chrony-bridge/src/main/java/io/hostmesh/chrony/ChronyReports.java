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
      for (int i = 0; i < refId.length(); i++) {
        if (refId.charAt(i) != '0') {
          return true;
        }
      }
      return false;
    }
  }

  /** Parses the one line of {@code chronyc -c tracking}. */
  static Tracking tracking(String csv) {
    int[] cut = new int[28];
    if (split(csv, 0, csv.length(), cut) < 14) {
      throw new IllegalArgumentException("unexpected chronyc tracking output: " + SourceNames.quote(csv.strip()));
    }
    double refEpoch = Double.parseDouble(field(csv, cut, 3));
    Instant refTime = refEpoch == 0 ? null
        : Instant.ofEpochSecond((long) Math.floor(refEpoch), Math.round((refEpoch - Math.floor(refEpoch)) * 1e9));
    // chronyc prints the correction with its sign in CSV; "seconds fast of NTP time" is negative
    return new Tracking(field(csv, cut, 0), Integer.parseInt(field(csv, cut, 2)), refTime,
        Double.parseDouble(field(csv, cut, 4)), field(csv, cut, 13));
  }

  /** Parses {@code chronyc -c -n sources}: mode, state, address, stratum, poll, reach, ... offset. */
  static List<ChronySource> sources(String csv) {
    List<ChronySource> out = new ArrayList<>(2);
    // line by line, and only the fields used made into strings: a status poll parses this every
    // 16 s on every device of a fleet
    int[] cut = new int[16];
    for (int start = 0, end; start < csv.length(); start = end + 1) {
      end = csv.indexOf('\n', start);
      if (end < 0) {
        end = csv.length();
      }
      if (split(csv, start, end, cut) < 10) {
        continue;
      }
      try {
        out.add(new ChronySource(field(csv, cut, 0), field(csv, cut, 1), field(csv, cut, 2),
            Integer.parseInt(field(csv, cut, 3)), Integer.parseInt(field(csv, cut, 5), 8),
            Double.parseDouble(field(csv, cut, 7))));
      } catch (NumberFormatException e) {
        // not a source line (chronyc printed something else): skip it
      }
    }
    return List.copyOf(out);
  }

  /**
   * Splits {@code s[from, to)}, stripped of white space as {@link String#strip} does, at commas, as
   * {@code split(",", -1)} would (every field, the empty ones included): field {@code k} is
   * {@code s[cut[2k], cut[2k + 1])} for the first {@code cut.length / 2} fields. Returns how many
   * fields there are.
   */
  static int split(String s, int from, int to, int[] cut) {
    while (from < to && Character.isWhitespace(s.charAt(from))) {
      from++;
    }
    while (to > from && Character.isWhitespace(s.charAt(to - 1))) {
      to--;
    }
    int n = 0;
    int start = from;
    while (true) {
      int comma = s.indexOf(',', start); // String.indexOf is vectorised: much faster than a charAt loop
      int end = comma < 0 || comma >= to ? to : comma;
      if (2 * n + 1 < cut.length) {
        cut[2 * n] = start;
        cut[2 * n + 1] = end;
      }
      n++;
      if (end == to) {
        return n;
      }
      start = end + 1;
    }
  }

  static String field(String s, int[] cut, int k) {
    return s.substring(cut[2 * k], cut[2 * k + 1]);
  }
}
