package io.hostmesh.cli;

import io.hostmesh.schema.config.ConfigDocument;

import io.hostmesh.unit.support.TimeFormats;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Lays out a simulated device root (architecture.md "Device root layout"). */
public final class SimInit {
  private SimInit() {}

  /**
   * Creates the folders, {@code mnt/boot/config.json} (the embedded default, unless one
   * exists), the build timestamp, and the mesh settings with the API port.
   */
  public static void init(Path root, Instant buildTime, int apiPort) throws IOException {
    for (String d : new String[] {"mnt/boot", "etc/fake-hwclock", "etc/udev/rules.d", "etc/hostmesh", "etc/ssh/hostkeys",
        "run/chrony", "home/root/.ssh", "var/volatile", "var/lib/hostmesh"}) {
      Files.createDirectories(root.resolve(d));
    }
    Path config = root.resolve(ConfigDocument.DEVICE_PATH.substring(1));
    if (!Files.exists(config)) {
      try (InputStream in = SimInit.class.getResourceAsStream("default-config.json")) {
        Files.write(config, in.readAllBytes());
      }
    }
    Path stamp = root.resolve("etc/timestamp");
    if (!Files.exists(stamp)) {
      Files.writeString(stamp, TimeFormats.stamp(buildTime.truncatedTo(ChronoUnit.SECONDS)) + "\n");
    }
    Path settings = root.resolve("etc/hostmesh/hostmesh.json");
    if (!Files.exists(settings)) {
      Files.writeString(settings, "{\n  \"api\": { \"host\": \"127.0.0.1\", \"port\": " + apiPort + " }\n}\n");
    }
  }
}
