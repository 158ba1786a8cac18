package io.hostmesh.schema.hostos;

import java.time.Instant;

/**
 * The last host OS update and how it ended (kept in {@code /var/lib/hostmesh/last-hup.json}).
 *
 * @param fromVersion the version updated from
 * @param toVersion the version updated to
 * @param fromSlot the slot updated from
 * @param toSlot the slot written
 * @param breakPart what the update broke on purpose (sim), or empty
 * @param outcome where it stands
 * @param requested device time of the request
 * @param finished device time it committed or rolled back; null while in progress
 * @param detail one line: why it rolled back, or empty
 */
public record HupRecord(String fromVersion, String toVersion, String fromSlot, String toSlot, String breakPart,
    HupOutcome outcome, Instant requested, Instant finished, String detail) {
  /** The same update with a final outcome. */
  public HupRecord finish(HupOutcome o, Instant at, String why) {
    return new HupRecord(fromVersion, toVersion, fromSlot, toSlot, breakPart, o, requested, at, why == null ? "" : why);
  }
}
