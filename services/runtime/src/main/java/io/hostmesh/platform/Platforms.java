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
    HostFiles files = new RootedHostFiles(root);
    SystemClock clock = new SimClock(files, scheduler::hostMillis, set -> bus.publish(TimeTopics.CLOCK_SET, set));
    Rtc rtc = new SimRtc(files, scheduler::hostMillis);
    Processes processes = new LocalProcesses(vertx, recordedCommands,
        argv -> bus.publish(HostTopics.COMMAND_RECORDED, new CommandRecorded(argv, clock.now())));
    return new Simple(Profile.SIM, files, clock, rtc, processes, scheduler);
  }

  /** A real device: files under {@code root} (normally {@code /}), kernel clock, hwclock, real commands. */
  public static Platform device(Vertx vertx, Bus bus, Path root, Scheduler scheduler) {
    HostFiles files = new RootedHostFiles(root);
    SystemClock clock = new DeviceClock(set -> bus.publish(TimeTopics.CLOCK_SET, set));
    Processes processes = new LocalProcesses(vertx, Set.of(), argv -> { });
    return new Simple(Profile.DEVICE, files, clock, new HwclockRtc(), processes, scheduler);
  }

  private record Simple(Profile profile, HostFiles files, SystemClock clock, Rtc rtc, Processes processes,
      Scheduler scheduler) implements Platform {}
}
