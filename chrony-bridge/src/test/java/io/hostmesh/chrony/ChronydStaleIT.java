package io.hostmesh.chrony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.platform.Poll;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.unit.RestartPolicy;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A chronyd left running by a mesh of the same device root that was killed (SIGKILL runs no
 * shutdown hook) is recognised from the device's pid file and its command line, and stopped
 * before the new chronyd starts; before, the new one exited with "Another chronyd may already be
 * running" after the unit had logged "chronyd started" on the old one's socket, and failed for good.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class ChronydStaleIT {
  private ChronyDevice device;
  private Process orphan;
  private Process sleeper;

  @AfterEach
  void cleanUp() throws Exception {
    for (Process p : new Process[] {orphan, sleeper}) {
      if (p != null) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    ChronyDevice.closeAndCheck(device, null);
  }

  @Test
  void aChronydOfThisRootLeftByAKilledMeshIsStoppedAtStart(Vertx vertx) throws Exception {
    device = new ChronyDevice(vertx, RestartPolicy.NO, new JsonObject().put("healthCheckSeconds", 600), null);
    orphan = startOrphan(device);
    long old = orphan.pid();

    device.start();
    device.awaitChange(c -> c.state() == UnitState.ACTIVE).await(30, TimeUnit.SECONDS);
    assertTrue(orphan.waitFor(10, TimeUnit.SECONDS), "the left-over chronyd was stopped");
    assertTrue(device.dev.logged("chronyd", "stopped chronyd pid " + old + ", left running by an earlier mesh of this device"));
    assertNotEquals(old, device.pid(), "the unit runs a chronyd of its own");
    assertFalse(device.dev.mesh().timeline().stream().anyMatch(c -> c.unit().equals("chronyd") && c.state() == UnitState.FAILED));
  }

  @Test
  void aPidFileNamingAnotherProgramIsLeftAlone(Vertx vertx) throws Exception {
    device = new ChronyDevice(vertx, RestartPolicy.NO, new JsonObject(), null);
    Path pidFile = device.dev.path(ChronyPaths.PID_FILE);
    Files.createDirectories(pidFile.getParent());
    sleeper = new ProcessBuilder("sleep", "60").start();
    Files.writeString(pidFile, sleeper.pid() + "\n");
    String conf = device.dev.path(ChronyPaths.CONF).toString();
    assertTrue(ChronydProcess.stale(pidFile, conf).isEmpty(), "a live process that is not this device's chronyd");
    Files.writeString(pidFile, "not a pid\n");
    assertTrue(ChronydProcess.stale(pidFile, conf).isEmpty());
    assertEquals(-1L, ChronydProcess.stopStale(vertx, pidFile, conf, Duration.ofSeconds(1)).await());
    assertTrue(sleeper.isAlive());
  }

  /** What a killed mesh leaves: this device's chronyd, started without the mesh, running on. */
  private static Process startOrphan(ChronyDevice device) throws Exception {
    Path conf = device.dev.path(ChronyPaths.CONF);
    Files.createDirectories(conf.getParent());
    Files.createDirectories(device.dev.path("/var/lib/chrony"));
    Path run = device.dev.path(ChronyPaths.SOURCE_DIR);
    Files.createDirectories(run);
    Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxrwx---"));
    Files.writeString(conf, ChronyConf.sim(p -> device.dev.path(p).toString(), List.of()));
    Process p = new ProcessBuilder("chronyd", "-d", "-x", "-u", System.getProperty("user.name"), "-f", conf.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    Path pidFile = device.dev.path(ChronyPaths.PID_FILE);
    Vertx waiter = device.dev.mesh().vertx();
    Poll.until(waiter, Duration.ofSeconds(10), Duration.ofMillis(20), "the orphan chronyd's pid file",
        () -> HostProcesses.pidIn(pidFile).orElse(-1L) == p.pid()).await();
    return p;
  }
}
