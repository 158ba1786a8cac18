package io.hostmesh.cli;

import io.hostmesh.api.HttpApi;
import io.hostmesh.mesh.Mesh;
import io.hostmesh.mesh.MeshException;
import io.hostmesh.mesh.MeshSettings;
import io.hostmesh.mesh.UnitStatus;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.schema.unit.LogLine;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.schema.unit.UnitStateChanged;
import io.hostmesh.spi.RunHook;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Boots a mesh with every unit on the class path, its HTTP API, and a clean shutdown on SIGTERM.
 * The caller holds the device root's {@link DeviceLock}.
 */
final class MeshRunner {
  private MeshRunner() {}

  /**
   * How long to run.
   *
   * @param exitWhenReady stop once every unit has settled, instead of at SIGTERM
   * @param timeout with {@code exitWhenReady}: give up after this long, listing what is unsettled
   */
  record Options(boolean exitWhenReady, Duration timeout) {}

  /**
   * The Vert.x of a mesh process, sized by the settings ({@link VertxSizing}). Class-path resolving
   * is off: Vert.x would otherwise make a {@code /tmp/vertx-cache-<uuid>} folder at start (even with
   * file caching off) that only a clean exit removes, so every kill left one behind; nothing here
   * serves files from the class path.
   */
  static Vertx vertx(MeshSettings settings) {
    VertxSizing sizing = new VertxSizing(settings);
    return sizing.create(sizing.options().setFileSystemOptions(
        new FileSystemOptions().setClassPathResolvingEnabled(false).setFileCachingEnabled(false)));
  }

  /**
   * Runs until SIGTERM/Ctrl-C, or until every unit settled with {@code exitWhenReady}; returns the
   * exit code. {@code teardown} runs once the mesh has stopped, on either path, and hands its
   * SIGTERM hook over to the runner's.
   *
   * @throws CliFailure when the API cannot listen or the unit graph is invalid (nothing started)
   */
  static int run(Vertx vertx, MeshSettings settings, Options options, PrintWriter out, PrintWriter err,
      DeviceTeardown teardown) {
    if (settings.profile() == io.hostmesh.platform.Profile.SIM) {
      return SimRunner.run(vertx, settings, options, out, err, teardown); // reboots in this process
    }
    int removed = Leftovers.removeTempFiles(settings.root());
    if (removed > 0) {
      err.println("hostmesh: removed " + removed + " temporary file(s) that a killed run left under " + settings.root());
    }
    ClassLoader loader = Plugins.loader(settings, err);
    Thread.currentThread().setContextClassLoader(loader);
    Mesh mesh = Mesh.builder(vertx, settings).discover(loader).logSink(l -> printLog(err, l)).build();
    List<RunHook> hooks = new ArrayList<>();
    ServiceLoader.load(RunHook.class, loader).forEach(hooks::add);
    Settled settled = new Settled(mesh, out);
    mesh.onStateChange(settled::changed);
    // targets in the timeline too: "time-set reached" is when a device is ready (sd_notify READY=1)
    for (var target : List.of(Targets.TIME_SET, Targets.TIME_SYNC_HTTPS_WAIT, Targets.TIME_SYNC)) {
      mesh.bus().subscribe(target, t -> out.printf("%8.3fs  target %-17s reached%n", t.uptimeMillis() / 1000.0, t.name()));
    }
    LagProbe lag = LagProbe.start(vertx, new VertxSizing(settings));
    // SIGTERM, POST /v1/stop and --exit-when-ready stop the same way, once
    AtomicBoolean stopped = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    Runnable stop = () -> {
      if (stopped.compareAndSet(false, true)) {
        try {
          mesh.platform().files().delete(ApiOptions.PORT_FILE).otherwiseEmpty().await();
          hooks.forEach(h -> h.stopping(mesh).otherwiseEmpty().await());
          mesh.stop().await();
        } finally {
          lag.stop();
          teardown.run();
          done.countDown();
        }
      } else {
        awaitQuietly(done, Long.MAX_VALUE);
      }
    };
    Thread hook = new Thread(stop, "hostmesh-shutdown");
    // the API first: a port in use refuses the run before any unit has started
    if (settings.apiPort() >= 0) {
      HttpApi api = new HttpApi(mesh, settings.apiHost(), settings.apiPort(), lag.probe()).stopAction(() -> new Thread(() -> {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // SIGTERM came first: the JVM is already stopping the mesh
        }
        stop.run();
      }, "hostmesh-stop-request").start());
      try {
        vertx.deployVerticle(api).await();
      } catch (Exception e) { // await() rethrows the bind failure as it is: a checked BindException
        lag.stop();
        teardown.run();
        throw new CliFailure(ExitCodes.UNAVAILABLE, apiProblem(settings, e));
      }
      writePortFile(mesh, api.port(), err).await();
      out.println(apiLine(settings, api.port()));
    }
    if (!teardown.handOver(hook)) {
      lag.stop(); // SIGTERM came first: the teardown's own hook is at work
      return ExitCodes.OK;
    }
    try {
      try {
        mesh.start().await();
      } catch (MeshException e) {
        throw new CliFailure(ExitCodes.CONFIG, "cannot start: " + e.getMessage());
      }
      for (RunHook h : hooks) {
        try {
          h.started(mesh).await();
        } catch (RuntimeException e) {
          err.println("hostmesh: " + h.getClass().getName() + " failed: " + e.getMessage());
        }
      }
      if (options.exitWhenReady()) {
        int code = settled.await(options.timeout(), err);
        lag.summary().ifPresent(out::println);
        return code;
      }
      done.await();
      return ExitCodes.OK;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.OK;
    } finally {
      MeshRunner.end(hook, done, stop);
    }
  }

  /**
   * How both runners end: the shutdown hook is let go (unless SIGTERM is running it, and it stops
   * the device itself), and a device not yet stopped is stopped here.
   */
  static void end(Thread hook, CountDownLatch done, Runnable stop) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // SIGTERM: the hook stops the device
    }
    if (!Thread.currentThread().isInterrupted() && done.getCount() > 0) {
      stop.run();
    }
  }

  /**
   * Where {@code hostmesh stop --root DIR} and friends find a port chosen freely (api.port 0):
   * written before the API is announced, removed at stop. A failure is said, not fatal.
   */
  static Future<Void> writePortFile(Mesh mesh, int port, PrintWriter err) {
    return mesh.platform().files().write(ApiOptions.PORT_FILE, port + "\n", null)
        .onFailure(e -> err.println("hostmesh: cannot write " + ApiOptions.PORT_FILE + " (--root finds this device"
            + " only through api.port): " + e.getMessage()))
        .otherwiseEmpty();
  }

  /** The line that announces the API (tests and scripts wait for it). */
  static String apiLine(MeshSettings settings, int port) {
    return "API on http://" + settings.apiHost() + ":" + port + "  (hostmesh status --port " + port + ")";
  }

  /** Waits for whoever stops the device, at most {@code maxSeconds}; an interrupt ends the wait. */
  static void awaitQuietly(CountDownLatch latch, long maxSeconds) {
    try {
      latch.await(maxSeconds, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Why the API did not start, naming the port and the setting to change. */
  static String apiProblem(MeshSettings settings, Throwable e) {
    String file = settings.root().resolve(MeshSettings.FILE.substring(1)).toString();
    String why = String.valueOf(e.getMessage());
    if (why.contains("Address already in use")) {
      return "API port " + settings.apiPort() + " on " + settings.apiHost() + " is in use by another program"
          + " (setting api.port in " + file + "; 0 picks a free port)";
    }
    return "the API cannot listen on " + settings.apiHost() + ":" + settings.apiPort() + " (" + why
        + "; settings api.host and api.port in " + file + ")";
  }

  /**
   * Prints each state change and, right after the change that settled the last unit, the "all N
   * units settled" line naming the failed units — on the mesh's context, so in order.
   */
  static final class Settled {
    private final Mesh mesh;
    private final PrintWriter out;
    private final long startNanos = System.nanoTime();
    private final Promise<List<String>> failed = Promise.promise();

    Settled(Mesh mesh, PrintWriter out) {
      this.mesh = mesh;
      this.out = out;
    }

    void changed(UnitStateChanged c) {
      out.println(line(c));
      if (!failed.future().isComplete() && mesh.allSettled()) {
        List<String> names = mesh.units().stream().filter(u -> u.state() == UnitState.FAILED).map(UnitStatus::name).toList();
        out.printf("all %d units settled %d ms after start, %s%n", mesh.units().size(),
            (System.nanoTime() - startNanos) / 1_000_000,
            names.isEmpty() ? "none failed" : names.size() + " failed: " + String.join(", ", names));
        failed.complete(names);
      }
    }

    /** Waits for every unit to settle; on expiry lists the unsettled ones with what they wait for. */
    int await(Duration timeout, PrintWriter err) throws InterruptedException {
      if (mesh.units().isEmpty()) {
        out.println("no units to run");
        return ExitCodes.OK;
      }
      try {
        return failed.future().await(timeout.toMillis(), TimeUnit.MILLISECONDS).isEmpty()
            ? ExitCodes.OK : ExitCodes.UNIT_FAILED;
      } catch (TimeoutException e) {
        List<UnitStatus> unsettled = mesh.units().stream().filter(u -> !u.state().settled()).toList();
        err.println("hostmesh: " + unsettled.size() + " unit(s) not settled within " + timeout.toSeconds()
            + " s (--timeout): " + String.join("; ", unsettled.stream().map(MeshRunner::waitsFor).toList()));
        err.flush();
        return ExitCodes.TIMEOUT;
      }
    }
  }

  private static String waitsFor(UnitStatus u) {
    return u.name() + " " + u.state().label() + (u.detail().isEmpty() ? "" : " (" + u.detail() + ")");
  }

  /** {@code [unit][LEVEL] message}, with a journald priority prefix ({@code <3>}, {@code <4>}, {@code <6>}) under systemd. */
  static void printLog(PrintWriter err, LogLine l) {
    String prefix = JOURNAL ? "<" + l.level().priority() + ">" : "";
    err.println(prefix + "[" + l.unit() + "][" + l.level() + "] " + l.message());
  }

  private static final boolean JOURNAL = System.getenv("JOURNAL_STREAM") != null;

  static String line(UnitStateChanged c) {
    return String.format("%8.3fs  %-24s %-12s %s", c.uptimeMillis() / 1000.0, c.unit(), c.state().label(),
        c.detail().isEmpty() ? "" : "(" + c.detail() + ")");
  }
}
