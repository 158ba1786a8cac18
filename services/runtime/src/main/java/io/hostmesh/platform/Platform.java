package io.hostmesh.platform;

/** Everything a unit may touch of the outside world. */
public interface Platform {
  Profile profile();

  HostFiles files();

  SystemClock clock();

  Rtc rtc();

  Processes processes();

  Scheduler scheduler();
}
