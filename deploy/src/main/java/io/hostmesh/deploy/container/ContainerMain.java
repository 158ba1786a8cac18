package io.hostmesh.deploy.container;

import io.hostmesh.cli.Main;
import io.hostmesh.cli.SimInit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The container image's entry point: the mesh in the sim profile with the device root on the
 * {@code /device} volume. An empty volume is laid out first (like {@code hostmesh sim init}) with
 * the API on {@code 0.0.0.0:48400} so that a published port reaches it, and the units that run
 * host daemons the image does not have (chronyd, sshd, ssh-keygen) disabled; an existing root is used
 * as it is, so a restarted container keeps its state (fake-hwclock saved at the last stop).
 *
 * <p>Usage: {@code ContainerMain [ROOT]} (default {@code $HOSTMESH_ROOT}, else {@code /device}).
 * Exits like {@code hostmesh run}; 2 when the root cannot be laid out.
 */
public final class ContainerMain {
  /** The API port inside the container. */
  public static final int PORT = 48400;

  /** Settings of a new root: the units that need host daemons are off (the scratch image has none). */
  static final String SETTINGS = """
      {
        "api": { "host": "0.0.0.0", "port": %d },
        "units": {
          "chronyd": { "enabled": false },
          "chrony-sources": { "enabled": false },
          "ssh-socket": { "enabled": false },
          "sshdgenkeys": { "enabled": false }
        }
      }
      """.formatted(PORT);

  private ContainerMain() {}

  public static void main(String[] args) {
    io.hostmesh.cli.VertxSizing.nettyDefaults(); // before laying out the root loads Netty
    Path root = Path.of(args.length > 0 ? args[0] : System.getenv().getOrDefault("HOSTMESH_ROOT", "/device"));
    try {
      prepare(root);
    } catch (IOException | RuntimeException e) {
      System.err.println("hostmesh: cannot lay out the device root " + root + ": " + e.getMessage());
      System.exit(2);
    }
    Main.main(new String[] {"run", "--profile", "sim", "--root", root.toString()});
  }

  /** Lays out an empty device root with the API on all interfaces of the container. */
  static void prepare(Path root) throws IOException {
    Path settings = root.resolve("etc/hostmesh/hostmesh.json");
    if (!Files.exists(settings)) {
      Files.createDirectories(settings.getParent());
      Path tmp = Files.createTempFile(settings.getParent(), ".hostmesh", ".tmp");
      Files.writeString(tmp, SETTINGS);
      Files.move(tmp, settings, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    SimInit.init(root, Instant.now().minus(30, ChronoUnit.DAYS), PORT);
  }
}
