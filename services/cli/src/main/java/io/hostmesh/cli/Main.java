package io.hostmesh.cli;

import io.hostmesh.spi.DemoHook;

import io.hostmesh.mesh.MeshSettings;
import io.hostmesh.platform.Profile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code hostmesh} command line. */
@Command(name = "hostmesh", mixinStandardHelpOptions = true, version = "hostmesh 0.1.0",
    description = "balenaOS host services as a mesh of Vert.x units.",
    subcommands = {Main.Demo.class, Main.Run.class, Main.Sim.class, StatusCommand.class, AnalyzeCommand.class,
        ConfigCommand.class, LogsCommand.class, RestartCommand.class, ResetFailedCommand.class, StopCommand.class, picocli.AutoComplete.GenerateCompletion.class})
public final class Main implements Callable<Integer> {
  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 0;
  }

  /** {@code hostmesh demo}: a throw-away simulated device, booted with every unit. */
  @Command(name = "demo", mixinStandardHelpOptions = true,
      description = "Boot a simulated device in a temporary folder and print the boot timeline.")
  static final class Demo implements Callable<Integer> {
    @Option(names = "--exit-when-ready", description = "Exit once every unit has settled (0 when none failed).")
    boolean exitWhenReady;

    @Option(names = "--root", description = "Device root to use (default: a new temporary folder).")
    Path root;

    @Option(names = "--port", defaultValue = "0", description = "API port (0: a free one).")
    int port;

    @Override
    public Integer call() throws Exception {
      Path dir = root != null ? root : Files.createTempDirectory("hostmesh-demo-");
      // a board without RTC: the clock starts in 2000, the image was built 30 days ago
      SimInit.init(dir, Instant.now().minus(30, ChronoUnit.DAYS), port);
      Path offset = dir.resolve("var/lib/hostmesh/clock-offset-ms");
      if (!Files.exists(offset)) {
        Files.writeString(offset, (Instant.parse("2000-01-01T00:00:00Z").toEpochMilli() - System.currentTimeMillis()) + "\n");
      }
      System.out.println("demo device root: " + dir);
      MeshSettings settings = MeshSettings.load(Profile.SIM, dir);
      Vertx vertx = new VertxSizing(settings).create();
      List<DemoHook> hooks = new ArrayList<>();
      try {
        List<DemoHook> found = DemoParts.hooks();
        if (found.isEmpty()) {
          System.out.println("demo parts not found (" + DemoParts.JAR + " beside hostmesh.jar, or $HOSTMESH_DEMO_JAR):"
              + " no local HTTPS endpoint or NTP server, so HTTPS time sync and chronyd find no source");
        }
        for (DemoHook h : found) {
          h.prepare(vertx, dir).await();
          hooks.add(h);
        }
        return MeshRunner.run(vertx, settings, exitWhenReady, System.out);
      } finally {
        Future.all(hooks.stream().map(DemoHook::close).toList()).otherwiseEmpty().await();
        vertx.close().await();
      }
    }
  }

  /** {@code hostmesh run}: the mesh of a device or of a simulated device root. */
  @Command(name = "run", mixinStandardHelpOptions = true, description = "Run the mesh.")
  static final class Run implements Callable<Integer> {
    @Option(names = "--profile", defaultValue = "sim", description = "device or sim (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--root", description = "Device root (sim: required; device: default /).")
    Path root;

    @Option(names = "--exit-when-ready", description = "Exit once every unit has settled.")
    boolean exitWhenReady;

    @Override
    public Integer call() throws IOException {
      Profile p = Profile.valueOf(profile.toUpperCase());
      Path dir = root != null ? root : p == Profile.DEVICE ? Path.of("/") : null;
      if (dir == null) {
        System.err.println("hostmesh run: --root DIR is required with --profile sim (make one with 'hostmesh sim init DIR')");
        return 2;
      }
      MeshSettings settings = MeshSettings.load(p, dir);
      Vertx vertx = new VertxSizing(settings).create();
      try {
        return MeshRunner.run(vertx, settings, exitWhenReady, System.out);
      } finally {
        vertx.close().await();
      }
    }
  }

  /** {@code hostmesh sim init DIR}. */
  @Command(name = "sim", mixinStandardHelpOptions = true, description = "Simulated devices.",
      subcommands = Sim.Init.class)
  static final class Sim implements Callable<Integer> {
    @Override
    public Integer call() {
      CommandLine.usage(this, System.out);
      return 0;
    }

    @Command(name = "init", mixinStandardHelpOptions = true, description = "Make a device root with a default config.json.")
    static final class Init implements Callable<Integer> {
      @Parameters(paramLabel = "DIR")
      Path dir;

      @Option(names = "--port", defaultValue = "48400", description = "API port (default: ${DEFAULT-VALUE}).")
      int port;

      @Override
      public Integer call() throws IOException {
        SimInit.init(dir, Instant.now().minus(30, ChronoUnit.DAYS), port);
        System.out.println("device root ready: " + dir + " (run it with: hostmesh run --profile sim --root " + dir + ")");
        return 0;
      }
    }
  }
}
