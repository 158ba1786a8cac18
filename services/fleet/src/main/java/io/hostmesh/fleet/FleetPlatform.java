package io.hostmesh.fleet;

import io.hostmesh.platform.HostFiles;
import io.hostmesh.platform.HttpsProbe;
import io.hostmesh.platform.Platform;
import io.hostmesh.platform.Processes;
import io.hostmesh.platform.Profile;
import io.hostmesh.platform.Rtc;
import io.hostmesh.platform.Scheduler;
import io.hostmesh.platform.SystemClock;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One boot of a fleet device as its units see it: the sim profile's platform with every part a
 * model on the partition's virtual time ({@link MemoryFiles}, {@link FleetClock}, {@link FleetRtc},
 * {@link FleetProcesses}, the {@link HttpsEndpoint}'s client).
 */
record FleetPlatform(HostFiles files, SystemClock clock, Rtc rtc, Processes processes, Scheduler scheduler,
    Supplier<HttpsProbe> httpsClients, Runnable onCut, Runnable onClose) implements Platform {
  @Override
  public Profile profile() {
    return Profile.SIM;
  }

  @Override
  public Optional<HttpsProbe> https() {
    return Optional.of(httpsClients.get());
  }

  @Override
  public void cutPower() {
    onCut.run();
  }

  @Override
  public void close() {
    onClose.run();
  }
}
