package io.hostmesh.schema.chrony;

/**
 * One row of {@code chronyc -n sources}.
 *
 * @param mode {@code ^} server, {@code =} peer, {@code #} reference clock
 * @param state {@code *} selected, {@code +} combined, {@code -} not combined, {@code ?} unreachable,
 *     {@code x} falseticker, {@code ~} too variable
 * @param address the source's address (numeric, {@code -n})
 * @param stratum its stratum
 * @param reach the reach register (last eight polls, one bit each, 0..255)
 * @param offsetSeconds the last measured offset of this source
 */
public record ChronySource(String mode, String state, String address, int stratum, int reach, double offsetSeconds) {
  /** True for the source chronyd synchronises to ({@code ^*}). */
  public boolean selected() {
    return "*".equals(state);
  }
}
