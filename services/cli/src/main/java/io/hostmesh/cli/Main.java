package io.hostmesh.cli;

import io.hostmesh.mesh.MeshSettings;
import io.hostmesh.platform.Profile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code hostmesh} command line. Every failure is one line with the fix and an exit code of
 * {@link ExitCodes} ({@link CliErrors}).
 */
@Command(name = "hostmesh", mixinStandardHelpOptions = true, version = "hostmesh " + Main.VERSION,
    description = "balenaOS host services as a mesh of Vert.x units.")
public final class Main implements Callable<Integer> {
  /**
   * The subcommands, in the order the help lists them. Only the one a command line names is
   * built ({@link #execute}): picocli reads every option of every command it is given, and its
   * classes cannot go into the start-up archive (Java 5 class files), so a device's
   * {@code hostmesh run} reading all twelve spent about a tenth of a second on it at each start.
   */
  static final List<Class<?>> SUBCOMMANDS = List.of(DemoCommand.class, Main.Run.class, Main.Sim.class,
      StatusCommand.class, AnalyzeCommand.class, ConfigCommand.class, LogsCommand.class, RestartCommand.class,
      ResetFailedCommand.class, StopCommand.class, FleetCommand.class, picocli.AutoComplete.GenerateCompletion.class);

  /** This hostmesh's version: `--version`, and what a fleet coordinator checks its workers against. */
  public static final String VERSION = "0.1.0";

  static {
    VertxSizing.nettyDefaults(); // before anything loads Netty
  }

  public static void main(String[] args) {
    System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs {@code hostmesh args} in this JVM with its output on {@code out} and {@code err}; returns the exit code. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = commandLine(args);
    cl.setOut(out);
    cl.setErr(err);
    return CliErrors.install(cl).execute(args);
  }

  /** The {@code hostmesh} command with the subcommands {@code args} needs ({@link #subcommandsFor}). */
  public static CommandLine commandLine(String... args) {
    CommandLine cl = new CommandLine(new Main());
    subcommandsFor(args).forEach(cl::addSubcommand);
    return cl;
  }

  /**
   * The subcommand the first argument names, or all of them: for the help, a misspelt name (the
   * suggestions), no subcommand at all, and {@code generate-completion} (it completes them all).
   */
  static List<Class<?>> subcommandsFor(String... args) {
    String first = args.length == 0 ? "" : args[0];
    for (Class<?> c : SUBCOMMANDS) {
      Command command = c.getAnnotation(Command.class);
      if (command.name().equals(first) || List.of(command.aliases()).contains(first)) {
        return c == picocli.AutoComplete.GenerateCompletion.class ? SUBCOMMANDS : List.of(c);
      }
    }
    return SUBCOMMANDS;
  }

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return ExitCodes.OK;
  }

  /** {@code --exit-when-ready [--timeout SECONDS]}, shared by {@code run} and {@code demo}. */
  static final class ReadyOptions {
    @Option(names = "--exit-when-ready", description = "Exit once every unit has settled: 0 when none failed, 1 when some did.")
    boolean exitWhenReady;

    @Option(names = "--timeout", defaultValue = "120", paramLabel = "SECONDS",
        description = "With --exit-when-ready: give up after this long, list the unsettled units, exit 75 (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    MeshRunner.Options options() {
      if (timeoutSeconds < 1) {
        throw new CliFailure(ExitCodes.USAGE, "--timeout must be at least 1 second, not " + timeoutSeconds);
      }
      return new MeshRunner.Options(exitWhenReady, Duration.ofSeconds(timeoutSeconds));
    }
  }

  /** {@code hostmesh run}: the mesh of a device or of a simulated device root. */
  @Command(name = "run", mixinStandardHelpOptions = true, description = "Run the mesh.")
  static final class Run implements Callable<Integer> {
    @Option(names = "--profile", defaultValue = "sim", converter = ProfileConverter.class,
        description = "device or sim (default: ${DEFAULT-VALUE}).")
    Profile profile;

    @Option(names = "--root", description = "Device root (sim: required; device: default /).")
    Path root;

    @CommandLine.Mixin
    ReadyOptions ready;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      MeshRunner.Options options = ready.options();
      if (root == null && profile == Profile.SIM) {
        throw new CliFailure(ExitCodes.USAGE, "--root DIR is required with --profile sim (make one with: hostmesh sim init DIR)");
      }
      Path dir = root != null ? root : Path.of("/");
      requireDeviceRoot(dir, profile);
      try (DeviceLock lock = DeviceLock.acquire(dir)) {
        MeshSettings settings = MeshSettings.load(profile, dir);
        var vertx = MeshRunner.vertx(settings);
        try {
          return MeshRunner.run(vertx, settings, options, spec.commandLine().getOut(), spec.commandLine().getErr(), DeviceTeardown.none());
        } finally {
          vertx.close().await();
        }
      }
    }

    /** A root that does not exist is refused, never created: a typo would otherwise boot an empty device. */
    static void requireDeviceRoot(Path dir, Profile profile) {
      if (!Files.isDirectory(dir)) {
        throw new CliFailure(ExitCodes.NO_INPUT, "no device root at " + dir
            + (Files.exists(dir) ? " (it is a file)" : "") + ": make one with: hostmesh sim init " + dir);
      }
      if (profile == Profile.SIM && dir.toAbsolutePath().normalize().getParent() == null) {
        throw new CliFailure(ExitCodes.USAGE, "a simulated device cannot run on this machine's own root " + dir
            + ": give it a folder of its own (hostmesh sim init DIR)");
      }
      if (profile == Profile.SIM && !Files.exists(dir.resolve("mnt/boot/config.json"))) {
        throw new CliFailure(ExitCodes.NO_INPUT, dir + " is not a device root (no mnt/boot/config.json):"
            + " make one with: hostmesh sim init " + dir);
      }
    }
  }

  /** {@code --profile device|sim}, in any case; anything else is a usage error naming the choices. */
  static final class ProfileConverter implements CommandLine.ITypeConverter<Profile> {
    @Override
    public Profile convert(String value) {
      for (Profile p : Profile.values()) {
        if (p.label().equalsIgnoreCase(value)) {
          return p;
        }
      }
      throw new CommandLine.TypeConversionException("unknown profile '" + value + "': use device or sim");
    }
  }

  /** {@code hostmesh sim init DIR}. */
  @Command(name = "sim", mixinStandardHelpOptions = true, description = "Simulated devices.",
      subcommands = {Sim.Init.class, SimCommands.Reboot.class, SimCommands.PowerOff.class, SimCommands.PowerCut.class,
          SimCommands.Hup.class, SimCommands.Clock.class, SimCommands.RtcCommand.class})
  static final class Sim implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getOut());
      return ExitCodes.OK;
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Make a device root with a default config.json (a uuid of its own) and settings.",
            "Many devices run side by side on a real device's ports when each has its own --address."})
    static final class Init implements Callable<Integer> {
      @Parameters(paramLabel = "DIR")
      Path dir;

      @Option(names = "--address", defaultValue = "127.0.0.1", paramLabel = "127.0.0.N",
          description = "Loopback address of the device's API and SSH (any of 127.0.0.0/8; default: ${DEFAULT-VALUE}).")
      String address;

      @Option(names = "--port", defaultValue = "48400", description = "API port (default: ${DEFAULT-VALUE}; 0: a free one).")
      int port;

      @Option(names = "--ssh-port", defaultValue = "22222", description = "SSH port (default: ${DEFAULT-VALUE}; 0: a free one).")
      int sshPort;

      @Option(names = "--bootloader", defaultValue = "uboot", paramLabel = "uboot|grub",
          description = "Bootloader of the A/B host OS laid out in the root (default: ${DEFAULT-VALUE}).")
      String bootloader;

      @Spec
      CommandSpec spec;

      @Override
      public Integer call() {
        SimInit.Layout layout;
        try {
          layout = new SimInit.Layout(address, port, sshPort);
        } catch (IllegalArgumentException e) {
          throw new CliFailure(ExitCodes.USAGE, e.getMessage());
        }
        io.hostmesh.hostos.BootEnv.Kind kind = switch (bootloader.toLowerCase(java.util.Locale.ROOT)) {
          case "uboot", "u-boot" -> io.hostmesh.hostos.BootEnv.Kind.UBOOT;
          case "grub" -> io.hostmesh.hostos.BootEnv.Kind.GRUB;
          default -> throw new CliFailure(ExitCodes.USAGE, "unknown bootloader '" + bootloader + "': use uboot or grub");
        };
        SimInit.Result r;
        try {
          r = SimInit.init(dir, Instant.now().minus(30, ChronoUnit.DAYS), layout);
          // the A/B host OS (slots, bootloader environment, /mnt/state); an existing one is kept
          io.hostmesh.hostos.SimOs.layout(io.hostmesh.platform.Platforms.files(dir), io.hostmesh.hostos.SimOs.DEFAULT_VERSION,
              kind);
        } catch (IOException e) {
          throw new CliFailure(ExitCodes.CANT_CREATE, e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("device root ready: " + dir + (r.newConfig() ? " (uuid " + r.uuid() + ")" : " (its config.json kept)"));
        out.println(r.newSettings()
            ? "  API on " + listen(layout.address(), layout.apiPort()) + ", SSH on " + listen(layout.address(), layout.sshPort())
            : "  its settings kept: " + dir.resolve("etc/hostmesh/hostmesh.json"));
        out.println("  run it with: hostmesh run --profile sim --root " + dir);
        return ExitCodes.OK;
      }

      private static String listen(String address, int port) {
        return port == 0 ? address + " (a free port)" : address + ":" + port;
      }
    }
  }
}
