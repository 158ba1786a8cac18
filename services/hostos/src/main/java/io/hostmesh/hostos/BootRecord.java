package io.hostmesh.hostos;

import io.hostmesh.schema.hostos.BootDecision;
import io.hostmesh.schema.unit.UnitStateChanged;
import java.util.List;

/**
 * One boot attempt of a {@link SimLifecycle} device.
 *
 * @param decision what the bootloader decided (its number and id included)
 * @param startedMillis scheduler uptime when the bootloader ran (virtual in tests)
 * @param endedMillis scheduler uptime when the boot ended (its units stopped, or it failed); -1 while running
 * @param end how it ended: {@code "running"}, {@code "reboot: <reason>"}, {@code "power-off: <reason>"},
 *     {@code "power-cut: <reason>"}, {@code "boot failed: <why>"}, {@code "mesh failed to start: <why>"}
 * @param timeline the boot's unit state changes, taken when it ended (empty while running and for a
 *     boot that never reached userspace; the oldest may have gone to keep the bound of {@link BootHistory})
 */
public record BootRecord(BootDecision decision, long startedMillis, long endedMillis, String end,
    List<UnitStateChanged> timeline) {
  public BootRecord {
    timeline = List.copyOf(timeline);
  }

  public int boot() {
    return decision.boot();
  }
}
