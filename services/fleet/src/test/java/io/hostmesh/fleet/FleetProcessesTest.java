package io.hostmesh.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.platform.ProcessResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chronyd model answers chronyc as chrony-bridge parses it. */
class FleetProcessesTest {
  long now;
  boolean reachable = true;

  ProcessResult chronyc(FleetProcesses p, String... args) {
    List<String> argv = new java.util.ArrayList<>(List.of("chronyc", "-h", "/run/chrony/chronyd.sock"));
    argv.addAll(List.of(args));
    return p.run(argv, Duration.ofSeconds(10)).result();
  }

  @Test
  void aStartedChronydSelectsItsSourceAfterTheDelayWhileReachable() {
    FleetProcesses p = new FleetProcesses(() -> now, () -> 1_900_000_000_000L + now, t -> reachable, () -> 5000);
    assertEquals(1, chronyc(p, "-n", "-m", "tracking").exitCode(), "no daemon yet");
    Process d = p.spawn(List.of("chronyd", "-d", "-x"), Map.of()).result();
    assertEquals(0, chronyc(p, "-n", "-m", "tracking").exitCode());
    assertTrue(chronyc(p, "-c", "-n", "sources").stdout().startsWith("^,?,"));
    assertEquals(1, chronyc(p, "waitsync", "1", "0.1", "0.0", "1").exitCode());
    now = 5000;
    assertTrue(chronyc(p, "-c", "-n", "sources").stdout().startsWith("^,*,"));
    assertEquals(0, chronyc(p, "waitsync", "1", "0.1", "0.0", "1").exitCode());
    assertEquals("Normal", chronyc(p, "-c", "tracking").stdout().strip().split(",")[13]);
    reachable = false;
    assertTrue(chronyc(p, "-c", "-n", "sources").stdout().startsWith("^,?,"));
    assertEquals(0, chronyc(p, "burst 4/4").exitCode());
    d.destroy();
    assertFalse(d.isAlive());
    assertTrue(d.onExit().isDone());
    assertEquals(143, d.exitValue());
    assertTrue(p.run(List.of("udevadm", "trigger"), Duration.ofSeconds(1)).result().recorded());
  }
}
