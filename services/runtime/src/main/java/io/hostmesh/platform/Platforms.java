package io.hostmesh.platform;

import io.hostmesh.bus.Bus;
import io.hostmesh.schema.host.CommandRecorded;
import io.hostmesh.schema.host.HostTopics;
import io.hostmesh.schema.time.TimeTopics;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Set;

/** Builds the host platform of a profile. */
public final class Platforms {
  private Platforms() {}

  /** A simulated device under {@code root}: offset clock, file RTC, recorded host commands. */
  public static Platform sim(Vertx vertx, Bus bus, Path root, Scheduler scheduler, Set<String> recordedCommands) {
    DeviceWorker worker = new DeviceWorker(vertx);
    RootedHostFiles rooted = new RootedHostFiles(root);
    HostFiles files = new WorkerHostFiles(rooted, worker);
    SystemClock clock = new SimClock(rooted, scheduler::hostMillis, set -> bus.publish(TimeTopics.CLOCK_SET, set), worker);
    Rtc rtc = new WorkerRtc(new SimRtc(rooted, scheduler::hostMillis), worker);
    Processes processes = new LocalProcesses(vertx, recordedCommands,
        argv -> bus.publish(HostTopics.COMMAND_RECORDED, new CommandRecorded(argv, clock.now())));
    return new Simple(Profile.SIM, files, clock, rtc, processes, scheduler);
  }

  /** A real device: files under {@code root} (normally {@code /}), kernel clock, hwclock, real commands. */
  public static Platform device(Vertx vertx, Bus bus, Path root, Scheduler scheduler) {
    DeviceWorker worker = new DeviceWorker(vertx);
    HostFiles files = new WorkerHostFiles(new RootedHostFiles(root), worker);
    SystemClock clock = new DeviceClock(set -> bus.publish(TimeTopics.CLOCK_SET, set), worker);
    Processes processes = new LocalProcesses(vertx, Set.of(), argv -> { });
    return new Simple(Profile.DEVICE, files, clock, new WorkerRtc(new HwclockRtc(), worker), processes, scheduler);
  }

  private record Simple(Profile profile, HostFiles files, SystemClock clock, Rtc rtc, Processes processes,
      Scheduler scheduler) implements Platform {}
}
