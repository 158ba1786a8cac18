package io.hostmesh.mesh;

import java.time.Instant;
import java.util.List;

/**
 * One boot a {@link BootLog} keeps.
 *
 * @param bootId the boot's id ({@link Mesh#bootId()}; a boot that never reached userspace has the
 *     id its bootloader step gave it)
 * @param started the device time when it began
 * @param ended the device time when it ended; null while it runs
 * @param end how it ended: {@value #REBOOT}, {@value #POWEROFF}, {@value #POWER_CUT}, {@value #FAILED}
 *     (never reached userspace, or its mesh did not start), or {@value #RUNNING}
 * @param reason why, in one line (the reboot's reason, the failure); empty while it runs
 * @param decision what the bootloader decided for it (a record, shown as JSON), or null
 * @param summary its {@link BootSummary} as it stood when it began to end; null while it runs and
 *     for a boot without a mesh
 * @param units its units as they stood when it began to end (before they stopped); empty while it
 *     runs and for a boot without a mesh
 * @param journal its journal lines, oldest first (the oldest may have been dropped to keep the
 *     device's bound); empty while it runs: the mesh's journal is live
 * @param timeline its timeline ({@link io.hostmesh.schema.unit.UnitStateChanged} and
 *     {@link ClockSetEntry}), oldest first; empty while it runs
 */
public record KeptBoot(String bootId, Instant started, Instant ended, String end, String reason, Object decision,
    BootSummary summary, List<UnitStatus> units, List<JournalEntry> journal, List<Object> timeline) {
  public static final String REBOOT = "reboot";
  public static final String POWEROFF = "poweroff";
  public static final String POWER_CUT = "power-cut";
  public static final String FAILED = "failed";
  public static final String RUNNING = "running";

  public KeptBoot {
    units = List.copyOf(units);
    journal = List.copyOf(journal);
    timeline = List.copyOf(timeline);
  }

  public boolean running() {
    return RUNNING.equals(end);
  }
}
