package io.hostmesh.mesh;

import io.hostmesh.schema.unit.UnitState;
import java.time.Instant;
import java.util.List;

/**
 * A unit as {@code hostmesh status} and {@code /v1/units} show it.
 *
 * @param name unit name
 * @param description one line
 * @param type oneshot or service
 * @param state current state
 * @param detail why (failure, what it waits for, restart count)
 * @param sinceMillis mesh uptime of the last state change
 * @param activatingMillis uptime when it last began activating, or -1
 * @param settledMillis uptime when it last settled, or -1
 * @param restarts restarts so far
 * @param result why it last ended, as systemd's {@code Result=} ({@code success} while it never failed)
 * @param requires the requirement labels
 * @param after ordering dependencies
 * @param provides targets it provides
 * @param since the device time of the last state change (null before the first), as
 *     {@code systemctl status} shows "active since ..."
 */
public record UnitStatus(
    String name, String description, String type, UnitState state, String detail, long sinceMillis,
    long activatingMillis, long settledMillis, int restarts, UnitResult result, List<String> requires, List<String> after,
    List<String> provides, Instant since) {}
