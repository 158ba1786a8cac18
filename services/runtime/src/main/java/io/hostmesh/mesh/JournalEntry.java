package io.hostmesh.mesh;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.hostmesh.schema.unit.LogLevel;
import io.hostmesh.schema.unit.LogLine;
import java.time.Instant;

/**
 * One line of a device's journal: a unit's {@link LogLine} with its place in the journal.
 *
 * @param seq position in this boot's journal, from 1, without gaps (a cursor: {@code after=seq}
 *     resumes after it)
 * @param boot the boot it was logged in ({@link Mesh#bootId()}, 32 hex digits like journald's
 *     {@code _BOOT_ID})
 * @param unit the unit name
 * @param level the level (its syslog priority is {@code level.priority()})
 * @param message the message, cut at {@value Journal#MAX_MESSAGE} characters
 * @param wallTime the device's system time when it was logged
 * @param uptimeMillis milliseconds since the mesh started (virtual in tests)
 */
public record JournalEntry(
    long seq, String boot, String unit, LogLevel level, String message, Instant wallTime, long uptimeMillis) {
  /**
   * The boot id again, under journald's name: {@code GET /v1/logs} shows it as {@code bootId} (the
   * field {@code journalctl -b} and {@code --list-boots} shims read) besides {@code boot}, which
   * older readers know. Written, never read back: it is always {@link #boot}.
   */
  @JsonProperty(value = "bootId", access = JsonProperty.Access.READ_ONLY)
  public String bootId() {
    return boot;
  }
}
