package io.hostmesh.cli;

import io.hostmesh.spi.RunHook;

import io.hostmesh.api.HttpApi;
import io.hostmesh.mesh.Mesh;
import io.hostmesh.mesh.MeshSettings;
import io.hostmesh.schema.unit.UnitStateChanged;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/** Boots a mesh with every unit on the class path, its HTTP API, and a clean shutdown on SIGTERM. */
final class MeshRunner {
  private MeshRunner() {}

  /**
   * Runs until SIGTERM/Ctrl-C, or until every unit settled when {@code exitWhenReady}.
   * Returns the process exit code.
   */
  static int run(Vertx vertx, MeshSettings settings, boolean exitWhenReady, PrintStream out) {
    ClassLoader loader = Plugins.loader(settings);
    Thread.currentThread().setContextClassLoader(loader);
    Mesh mesh = Mesh.builder(vertx, settings).discover(loader).logSink(MeshRunner::printLog).build();
    java.util.List<RunHook> hooks = new java.util.ArrayList<>();
    java.util.ServiceLoader.load(RunHook.class, loader).forEach(hooks::add);
    long[] startNanos = {System.nanoTime()};
    mesh.onStateChange(c -> out.println(line(c)));
    // targets in the timeline too: "time-set reached" is when a device is ready (sd_notify READY=1)
    for (var target : java.util.List.of(io.hostmesh.schema.targets.Targets.TIME_SET,
        io.hostmesh.schema.targets.Targets.TIME_SYNC_HTTPS_WAIT, io.hostmesh.schema.targets.Targets.TIME_SYNC)) {
      mesh.bus().subscribe(target, t -> out.printf("%8.3fs  target %-17s reached%n", t.uptimeMillis() / 1000.0, t.name()));
    }
    CountDownLatch done = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean stopBegun = new java.util.concurrent.atomic.AtomicBoolean();
    // SIGTERM and POST /v1/stop stop the same way, once; whoever comes second waits for the first
    Runnable orderlyStop = () -> {
      if (!stopBegun.compareAndSet(false, true)) {
        awaitQuietly(done);
        return;
      }
      mesh.platform().files().delete(ApiOptions.PORT_FILE).otherwiseEmpty().await();
      hooks.forEach(h -> h.stopping(mesh).otherwiseEmpty().await());
      mesh.stop().await();
      done.countDown();
    };
    Thread hook = new Thread(orderlyStop, "hostmesh-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    LagProbe lag = LagProbe.start(vertx, new VertxSizing(settings));
    try {
      mesh.start().await();
    } catch (RuntimeException e) {
      Runtime.getRuntime().removeShutdownHook(hook);
      lag.stop();
      System.err.println("hostmesh: cannot start: " + e.getMessage());
      return 2;
    }
    if (settings.apiPort() >= 0) {
      HttpApi api = new HttpApi(mesh, settings.apiHost(), settings.apiPort(), lag.probe()).stopAction(() -> new Thread(() -> {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // SIGTERM came first: the JVM is already stopping the mesh
        }
        orderlyStop.run();
      }, "hostmesh-stop-request").start());
      try {
        vertx.deployVerticle(api).await();
        // where 'hostmesh stop --root DIR' and friends find a port chosen freely (api.port 0); there
        // before the line below announces the API, gone at stop
        mesh.platform().files().write(ApiOptions.PORT_FILE, api.port() + "\n", null)
            .onFailure(e -> System.err.println("hostmesh: cannot write " + ApiOptions.PORT_FILE + " (--root finds this device"
                + " only through api.port): " + e.getMessage()))
            .otherwiseEmpty().await();
        out.println("API on http://" + settings.apiHost() + ":" + api.port() + "  (hostmesh status --port " + api.port() + ")");
      } catch (RuntimeException e) {
        System.err.println("hostmesh: API not started on " + settings.apiHost() + ":" + settings.apiPort() + ": " + e.getMessage());
      }
    }
    for (RunHook h : hooks) {
      try {
        h.started(mesh).await();
      } catch (RuntimeException e) {
        System.err.println("hostmesh: " + h.getClass().getName() + " failed: " + e.getMessage());
      }
    }
    if (exitWhenReady) {
      io.vertx.core.Future.any(mesh.whenSettled(), vertx.executeBlocking(() -> {
        awaitQuietly(done);
        return null;
      }, false)).await();
      if (stopBegun.get()) {
        awaitQuietly(done);
        return 0;
      }
      out.printf("all %d units settled %d ms after start%n", mesh.units().size(), (System.nanoTime() - startNanos[0]) / 1_000_000);
      lag.summary().ifPresent(out::println);
      Runtime.getRuntime().removeShutdownHook(hook);
      orderlyStop.run();
      lag.stop();
      return mesh.units().stream().anyMatch(u -> u.state() == io.hostmesh.schema.unit.UnitState.FAILED) ? 1 : 0;
    }
    awaitQuietly(done);
    lag.stop();
    return 0;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code [unit][LEVEL] message}, with a journald priority prefix ({@code <3>}, {@code <4>}, {@code <6>}) under systemd. */
  static void printLog(io.hostmesh.schema.unit.LogLine l) {
    String prefix = JOURNAL ? "<" + l.level().priority() + ">" : "";
    System.err.println(prefix + "[" + l.unit() + "][" + l.level() + "] " + l.message());
  }

  private static final boolean JOURNAL = System.getenv("JOURNAL_STREAM") != null;

  static String line(UnitStateChanged c) {
    return String.format("%8.3fs  %-24s %-12s %s", c.uptimeMillis() / 1000.0, c.unit(), c.state().label(),
        c.detail().isEmpty() ? "" : "(" + c.detail() + ")");
  }
}
