package io.hostmesh.mesh;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * This boot of the mesh as {@code systemd-analyze} summarises it ({@code GET /v1/boot}).
 *
 * @param bootId 32 hex digits, new for every mesh (journald's {@code _BOOT_ID}); the journal's lines carry it
 * @param startedAt the device time when the mesh started, or null before
 * @param uptimeMillis milliseconds since the mesh started, now (virtual in tests)
 * @param finishedMillis uptime when every unit had settled for the first time ("Startup finished
 *     in ..."), or -1 while the boot is not finished
 * @param targets uptime at which each reached target latched, by target name
 * @param unsettled the units not settled now (inactive, waiting, activating, deactivating)
 */
public record BootSummary(
    String bootId, Instant startedAt, long uptimeMillis, long finishedMillis, Map<String, Long> targets,
    List<String> unsettled) {}
