package io.hostmesh.platform;

import io.hostmesh.platform.internal.DeviceClock;
import io.hostmesh.platform.internal.DeviceWorker;
import io.hostmesh.platform.internal.HwclockRtc;
import io.hostmesh.platform.internal.LocalProcesses;
import io.hostmesh.platform.internal.RootedHostFiles;
import io.hostmesh.platform.internal.SimClock;
import io.hostmesh.platform.internal.SimRtc;
import io.hostmesh.platform.internal.WorkerHostFiles;
import io.hostmesh.platform.internal.WorkerRtc;

import io.hostmesh.bus.Bus;
import io.hostmesh.schema.host.CommandRecorded;
import io.hostmesh.schema.host.HostTopics;
import io.hostmesh.schema.time.TimeTopics;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Set;

/**
 * Builds the host platform of a profile; the implementations live in {@code platform.internal}
 * and are reached only through here and the platform interfaces.
 */
public final class Platforms {
  private Platforms() {}

  /**
   * The files under {@code root} with blocking methods, for code that is not a unit (the CLI, demo
   * hooks, tests) or already runs on a worker; confined to the root as a unit's files are.
   */
  public static BlockingHostFiles files(Path root) {
    return new RootedHostFiles(root);
  }

  /**
   * Why this process (and the programs it starts) may not set the system clock: CAP_SYS_TIME
   * missing from its effective or bounding set (a container); empty when it may.
   */
  public static java.util.Optional<String> missingClockCapability() {
    return DeviceClock.missingClockCapability(Path.of("/proc/self/status"));
  }

  /** Whether a program is an executable path, or on the PATH (plus /usr/sbin and /sbin). */
  public static boolean onPath(String program) {
    return LocalProcesses.onPath(program);
  }

  /** A simulated device under {@code root}: offset clock, file RTC, recorded host commands. */
  public static Platform sim(Vertx vertx, Bus bus, Path root, Scheduler scheduler, Set<String> recordedCommands) {
    DeviceWorker worker = new DeviceWorker(vertx);
    RootedHostFiles rooted = new RootedHostFiles(root);
    HostFiles files = new WorkerHostFiles(rooted, worker);
    SystemClock clock = new SimClock(rooted, scheduler::hostMillis, set -> bus.publish(TimeTopics.CLOCK_SET, set), worker);
    Rtc rtc = new WorkerRtc(new SimRtc(rooted, scheduler::hostMillis), worker);
    Processes processes = new LocalProcesses(vertx, recordedCommands,
        argv -> bus.publish(HostTopics.COMMAND_RECORDED, new CommandRecorded(argv, clock.now())));
    return new Simple(Profile.SIM, files, clock, rtc, processes, scheduler, worker);
  }

  /** A real device: files under {@code root} (normally {@code /}), kernel clock, hwclock, real commands. */
  public static Platform device(Vertx vertx, Bus bus, Path root, Scheduler scheduler) {
    DeviceWorker worker = new DeviceWorker(vertx);
    HostFiles files = new WorkerHostFiles(new RootedHostFiles(root), worker);
    SystemClock clock = new DeviceClock(set -> bus.publish(TimeTopics.CLOCK_SET, set), worker);
    Processes processes = new LocalProcesses(vertx, Set.of(), argv -> { });
    return new Simple(Profile.DEVICE, files, clock, new WorkerRtc(new HwclockRtc(), worker), processes, scheduler, worker);
  }

  private record Simple(Profile profile, HostFiles files, SystemClock clock, Rtc rtc, Processes processes,
      Scheduler scheduler, DeviceWorker worker) implements Platform {
    @Override
    public void cutPower() {
      worker.cut();
    }

    @Override
    public io.vertx.core.Future<Void> idle() {
      return worker.idle();
    }

    @Override
    public void close() {
      if (processes instanceof LocalProcesses local) {
        local.close();
      }
    }
  }
}
