package io.hostmesh.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.testing.SimDevice;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Real ssh-keygen: missing host keys appear, existing ones are kept. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class SshdGenKeysIT {
  @Test
  void createsMissingHostKeysAndKeepsExistingOnes(Vertx vertx) throws Exception {
    try (SimDevice dev = SimDevice.builder(vertx).unit(SshdGenKeysUnit::new).build()) {
      String existing = "existing ed25519 key, not to be replaced\n";
      dev.writeFile("/etc/ssh/hostkeys/ssh_host_ed25519_key", existing);
      dev.writeFile("/etc/ssh/hostkeys/ssh_host_rsa_key.tmp", "left over from a crash");
      dev.start().await();
      dev.awaitUnit("sshdgenkeys", UnitState.EXITED).await();

      assertEquals(existing, dev.readFile("/etc/ssh/hostkeys/ssh_host_ed25519_key"));
      for (String type : new String[] {"rsa", "ecdsa"}) {
        String key = "/etc/ssh/hostkeys/ssh_host_" + type + "_key";
        assertTrue(dev.readFile(key).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----"), key);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dev.path(key))));
        assertTrue(dev.readFile(key + ".pub").startsWith(type.equals("rsa") ? "ssh-rsa " : "ecdsa-sha2-"), key);
        assertTrue(dev.logged("sshdgenkeys", "Generated SSH host key " + key));
      }
      assertFalse(Files.exists(dev.path("/etc/ssh/hostkeys/ssh_host_rsa_key.tmp")));
      dev.stop().await();
    }
  }
}
