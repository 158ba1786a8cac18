package io.hostmesh.cli;

import io.hostmesh.mesh.MeshSettings;
import io.hostmesh.platform.Platforms;
import io.hostmesh.platform.Profile;
import io.hostmesh.spi.DemoHook;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hostmesh fleet replay SCENARIO --device ID}: that one device of the fleet as a normal sim
 * device (a real device root, the sim lifecycle of {@code hostmesh run --profile sim}), so status,
 * logs and analyze work on it. The fleet engine draws the device as the fleet does (config.json,
 * mix, RTC, clock at boot, build time); its times are kept relative to true time, now being the
 * fleet's true time at the device's first boot. The outside world is real and local: the demo's
 * HTTPS endpoint and NTP server when the demo parts are there (as {@code hostmesh demo} has them).
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = {"Boot one device of a fleet as a sim device, to look at it with status, logs and analyze.",
        "Its config.json, mix, RTC and clock are the fleet's; time is real and the outside world local."})
final class FleetReplayCommand implements Callable<Integer> {
  /** The prefix of the temporary device roots. */
  static final String TEMP_PREFIX = "hostmesh-replay-";
  /** Which fleet device a root holds: a replay only reuses a root of the same device. */
  static final String MARKER = "var/lib/hostmesh/fleet-replay.json";

  @Parameters(index = "0", paramLabel = "SCENARIO.json", description = "The fleet's scenario file.")
  Path scenario;

  @Option(names = "--device", required = true, paramLabel = "ID", description = "The device id (as in --trace).")
  int device;

  @Option(names = "--seed", paramLabel = "S", description = "The fleet's seed, when it overrode the scenario's.")
  Long seed;

  @Option(names = "--devices", paramLabel = "N", description = "The fleet's device count, when it overrode the scenario's.")
  Integer devices;

  @Option(names = "--root", paramLabel = "DIR",
      description = "The device root: a new or empty folder, or one an earlier replay of this device made"
          + " (default: a temporary folder, removed at the end).")
  Path root;

  @Option(names = "--port", defaultValue = "0", paramLabel = "N", description = "API port (default: 0, a free one).")
  int port;

  @CommandLine.Mixin
  Main.ReadyOptions ready;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    MeshRunner.Options options = ready.options();
    if (device < 0) {
      throw new CliFailure(ExitCodes.USAGE, "--device takes a device id (0 or more), not " + device);
    }
    if (devices != null && (devices < 1 || devices > 1_000_000)) {
      throw new CliFailure(ExitCodes.USAGE, "--devices must be 1 to 1000000, not " + devices);
    }
    FleetEngine engine = ServiceLoader.load(FleetEngine.class).findFirst().orElseThrow(() -> new CliFailure(
        ExitCodes.UNAVAILABLE, "the fleet simulation is not on the class path (the fleet module's jar)"));
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    return engine.replay(new FleetEngine.Replay(scenario, devices, seed, device), d -> boot(d, options, out, err), out, err);
  }

  private int boot(FleetEngine.ReplayDevice d, MeshRunner.Options options, PrintWriter out, PrintWriter err) {
    describe(d, out);
    boolean temporary = root == null;
    Path dir;
    if (temporary) {
      DemoCommand.TempRoots.removeAbandoned(err, TEMP_PREFIX, "hostmesh fleet replay", "replay");
    }
    try {
      dir = temporary ? Files.createTempDirectory(TEMP_PREFIX) : root;
      SimInit.requireFolder(dir);
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.CANT_CREATE, e.getMessage());
    }
    // from here a SIGTERM takes the demo parts and a temporary root down too
    DeviceTeardown teardown = DeviceTeardown.guarded(temporary ? dir : null);
    String marker = marker(d);
    DeviceLock lock;
    boolean reuse;
    try {
      reuse = reusable(dir, marker);
      lock = DeviceLock.acquire(dir);
    } catch (CliFailure e) {
      teardown.run();
      throw e;
    }
    try (lock) {
      if (reuse) {
        out.println("fleet replay: " + dir + " holds this device from an earlier replay: it boots again as it is");
      } else {
        layOut(dir, d, marker);
      }
      out.println("fleet replay: device root " + dir + (temporary ? " (removed when the replay ends)" : ""));
      MeshSettings settings = MeshSettings.load(Profile.SIM, dir);
      Vertx vertx = MeshRunner.vertx(settings);
      try {
        outsideWorld(vertx, dir, teardown, d, out);
        // read again: the demo parts put their NTP server into the settings
        return MeshRunner.run(vertx, MeshSettings.load(Profile.SIM, dir), options, out, err, teardown);
      } catch (RuntimeException | Error e) {
        teardown.run();
        throw e;
      } finally {
        vertx.close().await();
      }
    } catch (IOException e) {
      teardown.run();
      throw new CliFailure(ExitCodes.CANT_CREATE, e.getMessage());
    }
  }

  private static void describe(FleetEngine.ReplayDevice d, PrintWriter out) {
    out.printf(Locale.ROOT, "fleet replay: device %d of %s (seed %d), mix %s, first boot %.3f s into the fleet (its true"
        + " time %s, which is now in this replay)%n", d.device(), d.scenario(), d.seed(), d.mix(), d.bootAtMillis() / 1000.0,
        d.fleetBootTime());
    out.printf(Locale.ROOT, "  clock at boot: %s; build time: %s; RTC: %s%n", relative(d.clockErrorMillis()),
        relative(d.buildTimeOffsetMillis()), d.rtc()
            ? relative(d.rtcErrorMillis()) + (d.rtcDriftPpm() == 0 ? "" : String.format(Locale.ROOT, ", %+.3f ppm", d.rtcDriftPpm()))
            : "none");
    if (!d.events().isEmpty()) {
      out.println("  the fleet's events for this device (a replay does none of them; do them by hand):");
      d.events().forEach(e -> out.println("    " + e));
    }
  }

  private static String relative(long millis) {
    long s = Math.abs(millis) / 1000;
    String span = s >= 86_400 ? String.format(Locale.ROOT, "%.1f days", s / 86_400.0) : String.format(Locale.ROOT, "%.3f s", Math.abs(millis) / 1000.0);
    return millis == 0 ? "true time" : span + (millis < 0 ? " behind true time" : " ahead of true time");
  }

  private static String marker(FleetEngine.ReplayDevice d) {
    return new JsonObject().put("scenario", d.scenario()).put("seed", d.seed()).put("device", d.device()).encode() + "\n";
  }

  /** An empty or new folder is laid out; one that a replay of this same device made is reused; anything else refused. */
  private static boolean reusable(Path dir, String marker) {
    if (!Files.exists(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      if (s.findAny().isEmpty()) {
        return false;
      }
      Path m = dir.resolve(MARKER);
      if (Files.isRegularFile(m) && Files.readString(m, StandardCharsets.UTF_8).equals(marker)) {
        return true;
      }
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.CANT_CREATE, "cannot look into " + dir + ": " + e.getMessage());
    }
    throw new CliFailure(ExitCodes.CANT_CREATE, dir + " is not empty and not a replay of this device: a replay lays out"
        + " a device root of its own (give a new or empty folder, or leave out --root)");
  }

  /** As {@code hostmesh sim init}, then the fleet's config.json, clock, build time and RTC. */
  private void layOut(Path dir, FleetEngine.ReplayDevice d, String marker) throws IOException {
    long now = System.currentTimeMillis();
    Instant build = Instant.ofEpochMilli(now + d.buildTimeOffsetMillis());
    SimInit.init(dir, build, new SimInit.Layout(SimInit.DEFAULT.address(), port, 0));
    io.hostmesh.hostos.SimOs.layout(Platforms.files(dir), io.hostmesh.hostos.SimOs.DEFAULT_VERSION,
        io.hostmesh.hostos.BootEnv.Kind.UBOOT);
    var files = Platforms.files(dir);
    files.write(io.hostmesh.schema.config.ConfigDocument.DEVICE_PATH, d.config(), null);
    // the sim clock is host time plus this offset: it starts where the fleet device's clock started
    files.write("/var/lib/hostmesh/clock-offset-ms", d.clockErrorMillis() + "\n", null);
    if (d.rtc()) {
      // the sim RTC holds epoch seconds as of the file's modification time, and keeps ticking
      files.write("/dev/rtc", Math.floorDiv(now + d.rtcErrorMillis(), 1000L) + "\n", null);
      Files.setLastModifiedTime(files.resolve("/dev/rtc"), FileTime.fromMillis(now));
      if (d.rtcDriftPpm() != 0) {
        files.write("/dev/rtc.drift-ppm", String.format(Locale.ROOT, "%.6f%n", d.rtcDriftPpm()), null);
      }
    }
    files.write("/" + MARKER, marker, null);
  }

  /** The demo's HTTPS endpoint and NTP server, local; without the demo parts the device reaches its URI for real. */
  private static void outsideWorld(Vertx vertx, Path dir, DeviceTeardown teardown, FleetEngine.ReplayDevice d, PrintWriter out) {
    List<DemoHook> found = DemoParts.hooks();
    if (found.isEmpty()) {
      out.println("fleet replay: demo parts not found (" + DemoParts.JAR + " beside hostmesh.jar, or $HOSTMESH_DEMO_JAR):"
          + " HTTPS time sync asks the config.json's connectivity URI for real, and chronyd has no NTP source");
      return;
    }
    out.println("fleet replay: the outside world is local: the demo's HTTPS endpoint (its Date is this machine's time)"
        + " and NTP server, always up; config.json points at them");
    for (DemoHook h : found) {
      teardown.add(h); // before it is ready: a SIGTERM while it prepares closes it too
      h.prepare(vertx, dir).await();
    }
  }
}
