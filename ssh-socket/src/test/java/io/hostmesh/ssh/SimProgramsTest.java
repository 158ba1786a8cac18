package io.hostmesh.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.bus.Bus;
import io.hostmesh.platform.Platform;
import io.hostmesh.platform.Platforms;
import io.hostmesh.platform.VertxScheduler;
import io.hostmesh.unit.Condition;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program missing on a simulated device skips its unit, naming the Debian package; on a device
 * the condition holds, so the unit runs and fails naming the program. Real platforms, and a
 * program that is really not installed.
 */
class SimProgramsTest {
  private final Vertx vertx = Vertx.vertx();
  @TempDir
  Path root;

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void missingInSimSkipsAndOnADeviceRuns() {
    Platform sim = Platforms.sim(vertx, Bus.create(vertx), root, new VertxScheduler(vertx), Set.of());
    Platform device = Platforms.device(vertx, Bus.create(vertx), root, new VertxScheduler(vertx));
    Condition missing = SimPrograms.installedInSim("hostmesh-no-such-sshd", "openssh-server");
    assertFalse(missing.test().test(sim));
    assertTrue(missing.test().test(device));
    assertEquals("program hostmesh-no-such-sshd installed (sim; Debian package openssh-server)", missing.label());
    Condition present = SimPrograms.installedInSim("sh", "dash");
    assertTrue(present.test().test(sim));
    assertTrue(present.test().test(device));
  }

  @Test
  void theSshUnitsDeclareIt() {
    assertTrue(new SshSocketUnit().descriptor().conditions().stream()
        .anyMatch(c -> c.label().equals("program sshd installed (sim; Debian package openssh-server)")));
    assertTrue(new SshdGenKeysUnit().descriptor().conditions().stream()
        .anyMatch(c -> c.label().equals("program ssh-keygen installed (sim; Debian package openssh-client)")));
  }
}
