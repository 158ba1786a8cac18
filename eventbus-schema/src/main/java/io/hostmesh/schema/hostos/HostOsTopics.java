package io.hostmesh.schema.hostos;

import io.hostmesh.bus.Topic;

/**
 * Topics of the A/B host OS: the bootloader's decision, the OS status, host OS updates and
 * reboots (spec/rollbacks.md).
 */
public final class HostOsTopics {
  /**
   * Latched by the {@code bootloader} unit at start and whenever a host OS unit changes the boot
   * state (breadcrumbs, bootloader environment, slots): what {@code GET /v1/os} shows. Numeric
   * fields become metrics ({@code hostmesh_os_status_bootcount}, ...).
   */
  public static final Topic<OsStatus> STATUS = Topic.status("os.status", OsStatus.class);

  /**
   * Latched by the sim lifecycle on each boot's bus before the mesh starts: what the emulated
   * bootloader decided (which slot, bootcount). Absent on a real device, where the bootloader
   * unit reads the running root from the mounts.
   */
  public static final Topic<BootDecision> BOOT = Topic.state("os.boot", BootDecision.class);

  /** A host OS unit changed boot state; the bootloader unit re-reads it and latches {@link #STATUS}. */
  public static final Topic<OsChanged> CHANGED = Topic.event("os.changed", OsChanged.class);

  /**
   * Asks for a reboot. Served by whatever runs the device (the sim lifecycle): it answers at once
   * and then stops the units in reverse order and boots again. Nobody serves it on a real
   * device, where the units run {@code reboot} instead.
   */
  public static final Topic.Request<RebootRequest, RebootAnswer> REBOOT =
      Topic.request("os.reboot", RebootRequest.class, RebootAnswer.class);

  /**
   * Sim only: power off (units stop in reverse order, no next boot) or cut the power (nothing
   * stops or writes; the next boot sees what was on disk, and it follows at once). Served by the
   * sim lifecycle, answered before anything stops.
   */
  public static final Topic.Request<PowerRequest, RebootAnswer> POWER =
      Topic.request("os.sim.power", PowerRequest.class, RebootAnswer.class);

  /** Published by the sim lifecycle just before it stops the units of a boot (systemd's shutdown). */
  public static final Topic<Shutdown> SHUTDOWN = Topic.event("os.shutdown", Shutdown.class);

  /**
   * Sim only: a host OS update ({@code POST /v1/sim/hup}, {@code hostmesh sim hup}); served by the
   * {@code hostapp-update} unit, which answers once the new slot is written and the reboot asked for.
   */
  public static final Topic.Request<HupRequest, HupAnswer> HUP =
      Topic.request("os.sim.hup", HupRequest.class, HupAnswer.class);

  /** Sim only: the stand-in engine's health, latched by the {@code balena} unit. */
  public static final Topic<StandInHealth> ENGINE = Topic.state("os.sim.engine", StandInHealth.class);

  private HostOsTopics() {}
}
