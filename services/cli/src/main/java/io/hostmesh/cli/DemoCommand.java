package io.hostmesh.cli;

import io.hostmesh.mesh.MeshSettings;
import io.hostmesh.platform.Profile;
import io.hostmesh.spi.DemoHook;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hostmesh demo}: a throw-away simulated device, booted with every unit. Its API and SSH
 * take free ports, so a demo never collides with a device or another demo. Without
 * {@code --root} the device lives in a temporary folder that is removed when the demo ends.
 *
 * <p>With {@code --root DIR} holding a device already (it has a config.json), the device is run
 * as it is: its config.json and settings are never rewritten, so the demo's local HTTPS
 * endpoint and NTP server (which point config.json and the settings at themselves) are not set up.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Boot a simulated device in a temporary folder and print the boot timeline.")
final class DemoCommand implements Callable<Integer> {
  /** The prefix of the temporary device roots. */
  static final String TEMP_PREFIX = "hostmesh-demo-";

  @CommandLine.Mixin
  Main.ReadyOptions ready;

  @Option(names = "--root", description = "Device root to use (default: a new temporary folder, removed at the end).")
  Path root;

  @Option(names = "--port", defaultValue = "0", description = "API port of a new device (default: 0, a free one).")
  int port;

  @Option(names = "--ssh-port", defaultValue = "0", description = "SSH port of a new device (default: 0, a free one).")
  int sshPort;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    MeshRunner.Options options = ready.options();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean temporary = root == null;
    Path dir;
    if (temporary) {
      TempRoots.removeAbandoned(err);
      dir = Files.createTempDirectory(TEMP_PREFIX);
    } else {
      dir = root;
    }
    // from here a SIGTERM takes the demo parts and a temporary root down too
    DeviceTeardown teardown = DeviceTeardown.guarded(temporary ? dir : null);
    boolean existing = Files.exists(dir.resolve("mnt/boot/config.json"));
    DeviceLock lock;
    try {
      SimInit.requireFolder(dir);
      Files.createDirectories(dir);
      lock = DeviceLock.acquire(dir);
    } catch (IOException e) {
      teardown.run();
      throw new CliFailure(ExitCodes.CANT_CREATE, e.getMessage());
    } catch (CliFailure e) {
      teardown.run();
      throw e;
    }
    try (lock) {
      if (!existing) {
        layOut(dir);
      }
      out.println("demo device root: " + dir + (temporary ? " (removed when the demo ends)" : ""));
      MeshSettings settings = MeshSettings.load(Profile.SIM, dir);
      Vertx vertx = MeshRunner.vertx(settings);
      try {
        if (existing) {
          out.println("demo: " + dir + " holds a device already: its config.json and settings are used as they are,"
              + " so no local HTTPS endpoint or NTP server is set up (a new --root gets them)");
        } else {
          prepare(vertx, dir, teardown, out);
        }
        // read again: the demo hooks put their servers into the settings (chronyd's NTP source)
        return MeshRunner.run(vertx, MeshSettings.load(Profile.SIM, dir), options, out, err, teardown);
      } catch (RuntimeException | Error e) {
        teardown.run(); // once: run() may have run it already
        throw e;
      } finally {
        vertx.close().await();
      }
    }
  }

  /** A board without RTC: the clock starts in 2000, the image was built 30 days ago; API and SSH on free ports. */
  private void layOut(Path dir) throws IOException {
    try {
      SimInit.init(dir, Instant.now().minus(30, ChronoUnit.DAYS), new SimInit.Layout(SimInit.DEFAULT.address(), port, sshPort));
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.CANT_CREATE, e.getMessage());
    }
    Path offset = dir.resolve("var/lib/hostmesh/clock-offset-ms");
    if (!Files.exists(offset)) {
      Files.writeString(offset, (Instant.parse("2000-01-01T00:00:00Z").toEpochMilli() - System.currentTimeMillis()) + "\n");
    }
  }

  private static void prepare(Vertx vertx, Path dir, DeviceTeardown teardown, PrintWriter out) {
    List<DemoHook> found = DemoParts.hooks();
    if (found.isEmpty()) {
      out.println("demo parts not found (" + DemoParts.JAR + " beside hostmesh.jar, or $HOSTMESH_DEMO_JAR):"
          + " no local HTTPS endpoint or NTP server, so HTTPS time sync and chronyd find no source");
    }
    for (DemoHook h : found) {
      teardown.add(h); // before it is ready: a SIGTERM while it prepares closes it too
      h.prepare(vertx, dir).await();
    }
  }

  /** The demo's temporary device roots. */
  static final class TempRoots {
    private TempRoots() {}

    /** Deletes a temporary root and everything in it; what cannot be deleted is left. */
    static void delete(Path dir) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException | RuntimeException e) {
        // already gone, or partly: nothing else to do
      }
    }

    /**
     * Removes the temporary roots of demos that were killed (their device lock is free). A root
     * younger than a minute is left alone: its demo may be starting and not hold its lock yet.
     */
    static void removeAbandoned(PrintWriter err) {
      removeAbandoned(err, TEMP_PREFIX, "hostmesh demo", "demo");
    }

    /** The same for the temporary roots named {@code prefix...} of another command ({@code who}, a {@code what}). */
    static void removeAbandoned(PrintWriter err, String prefix, String who, String what) {
      Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
      Instant cutoff = Instant.now().minus(1, ChronoUnit.MINUTES);
      try (Stream<Path> s = Files.list(tmp)) {
        for (Path dir : s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
          if (Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)
              && Files.getLastModifiedTime(dir).toInstant().isBefore(cutoff) && unlocked(dir)) {
            delete(dir);
            err.println(who + ": removed " + dir + ", left by a " + what + " that was killed");
          }
        }
      } catch (IOException e) {
        // nothing to tidy
      }
    }

    private static boolean unlocked(Path dir) {
      Path lockFile = dir.resolve(DeviceLock.PATH);
      if (!Files.isRegularFile(lockFile)) {
        return false; // not laid out by a demo of this version: leave it
      }
      try (var ch = java.nio.channels.FileChannel.open(lockFile, java.nio.file.StandardOpenOption.WRITE)) {
        return ch.tryLock() != null;
      } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
        return false;
      }
    }
  }
}
