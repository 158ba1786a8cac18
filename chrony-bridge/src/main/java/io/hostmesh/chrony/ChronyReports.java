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
    String line = csv.strip();
    String[] f = fields(line);
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
    List<ChronySource> out = new ArrayList<>(2);
    // line by line without split: a status poll parses this every 16 s on every device of a fleet
    for (int start = 0, end; start < csv.length(); start = end + 1) {
      end = csv.indexOf('\n', start);
      if (end < 0) {
        end = csv.length();
      }
      String[] f = fields(csv.substring(start, end).strip());
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

  /** {@code line.split(",", -1)}: every field, the empty ones included, in an array of the right size. */
  static String[] fields(String line) {
    int n = 1;
    for (int i = line.indexOf(','); i >= 0; i = line.indexOf(',', i + 1)) {
      n++;
    }
    String[] f = new String[n];
    int start = 0;
    for (int k = 0; k < n - 1; k++) {
      int comma = line.indexOf(',', start);
      f[k] = line.substring(start, comma);
      start = comma + 1;
    }
    f[n - 1] = line.substring(start);
    return f;
  }
}
