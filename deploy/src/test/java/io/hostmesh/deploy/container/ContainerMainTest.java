package io.hostmesh.deploy.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.mesh.MeshSettings;
import io.hostmesh.platform.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerMainTest {
  @TempDir Path root;

  @Test
  void emptyVolumeGetsAPublishedApiAndNoHostDaemonUnits() throws Exception {
    ContainerMain.prepare(root);
    MeshSettings s = MeshSettings.load(Profile.SIM, root);
    assertEquals("0.0.0.0", s.apiHost());
    assertEquals(ContainerMain.PORT, s.apiPort());
    assertFalse(s.unitEnabled("chronyd"));
    assertFalse(s.unitEnabled("ssh-socket"));
    assertTrue(s.unitEnabled("fake-hwclock"));
    assertTrue(Files.exists(root.resolve("mnt/boot/config.json")));
    assertTrue(Files.exists(root.resolve("etc/timestamp")));
  }

  @Test
  void keptVolumeKeepsItsSettings() throws Exception {
    Path settings = root.resolve("etc/hostmesh/hostmesh.json");
    Files.createDirectories(settings.getParent());
    Files.writeString(settings, "{ \"api\": { \"host\": \"127.0.0.1\", \"port\": 40001 } }");
    ContainerMain.prepare(root);
    assertEquals(40001, MeshSettings.load(Profile.SIM, root).apiPort());
    try (var files = Files.list(settings.getParent())) {
      assertEquals(1, files.count(), "no temp file left behind");
    }
  }
}
