package io.hostmesh.cli;

import io.hostmesh.api.ApiRebind;
import io.hostmesh.api.HttpApi;
import io.hostmesh.hostos.SimLifecycle;
import io.hostmesh.mesh.Mesh;
import io.hostmesh.mesh.MeshException;
import io.hostmesh.mesh.MeshSettings;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.schema.unit.LogLevel;
import io.hostmesh.spi.RunHook;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Runs a sim device through {@link SimLifecycle}, so a reboot (a unit's, {@code POST
 * /v1/sim/reboot}, a host OS update's) boots the same device again in this process. Per boot:
 * the units are discovered as by {@link MeshRunner}, the HTTP API (on the port the first boot
 * got) and the {@link RunHook}s are deployed on the new mesh, and undeployed before it stops.
 * SIGTERM and {@code POST /v1/stop} power the device off (units stop in reverse order); so does
 * {@code POST /v1/sim/poweroff}, which ends the run too. The caller holds the device lock, which
 * stays held across boots.
 */
final class SimRunner {
  private SimRunner() {}

  /** As {@link MeshRunner#run}; {@code --exit-when-ready} waits for the first boot to settle. */
  static int run(Vertx vertx, MeshSettings settings, MeshRunner.Options options, PrintWriter out, PrintWriter err,
      DeviceTeardown teardown) {
    int removed = Leftovers.removeTempFiles(settings.root());
    if (removed > 0) {
      err.println("hostmesh: removed " + removed + " temporary file(s) that a killed run left under " + settings.root());
    }
    ClassLoader loader = Plugins.loader(settings, err);
    Thread.currentThread().setContextClassLoader(loader);
    List<RunHook> hooks = new ArrayList<>();
    ServiceLoader.load(RunHook.class, loader).forEach(hooks::add);
    LagProbe lag = LagProbe.start(vertx, new VertxSizing(settings));
    AtomicInteger port = new AtomicInteger(settings.apiPort());
    AtomicReference<String> api = new AtomicReference<>();
    AtomicReference<HttpApi> apiServer = new AtomicReference<>();
    AtomicReference<MeshRunner.Settled> first = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    AtomicBoolean stopped = new AtomicBoolean();
    AtomicReference<SimLifecycle> device = new AtomicReference<>();
    AtomicBoolean firstBoot = new AtomicBoolean(true);
    // SIGTERM, POST /v1/stop, POST /v1/sim/poweroff and --exit-when-ready end the same way, once
    Runnable stop = () -> {
      if (stopped.compareAndSet(false, true)) {
        try {
          powerOff(vertx, device.get()); // completes once the units have stopped
          settings.root().resolve(ApiOptions.PORT_FILE.substring(1)).toFile().delete();
        } finally {
          lag.stop();
          teardown.run();
          done.countDown();
        }
      } else {
        MeshRunner.awaitQuietly(done, 90);
      }
    };
    Thread hook = new Thread(stop, "hostmesh-shutdown");
    Runnable stopRequest = () -> new Thread(() -> {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // SIGTERM came first: the JVM is already stopping the device
      }
      stop.run();
    }, "hostmesh-stop-request").start();
    SimLifecycle lifecycle = SimLifecycle.builder(vertx, settings.root())
        .units(b -> b.discover(loader))
        // the lifecycle's own news (boots, reboots) is progress, as the unit states on standard output
        .logSink(l -> MeshRunner.printLog(l.unit().equals("sim-lifecycle") && l.level() == LogLevel.INFO ? out : err, l))
        .beforeStart(m -> {
          MeshRunner.Settled settled = new MeshRunner.Settled(m, out);
          first.compareAndSet(null, settled);
          m.onStateChange(settled::changed);
          for (var target : List.of(Targets.TIME_SET, Targets.TIME_SYNC_HTTPS_WAIT, Targets.TIME_SYNC)) {
            m.bus().subscribe(target, t -> out.printf("%8.3fs  target %-17s reached%n", t.uptimeMillis() / 1000.0, t.name()));
          }
          boolean again = !firstBoot.getAndSet(false);
          out.println("boot " + m.bootId() + (again ? " (the device booted again)" : ""));
          return deployApi(vertx, m, settings, port, again, api, apiServer, lag, stopRequest, out, err);
        })
        .onBoot(m -> {
          Future<Void> chain = Future.succeededFuture();
          for (RunHook h : hooks) {
            chain = chain.compose(v -> h.started(m).recover(e -> {
              err.println("hostmesh: " + h.getClass().getName() + " failed: " + e.getMessage());
              return Future.succeededFuture();
            }));
          }
        })
        .beforeStop(m -> Future.join(hooks.stream().map(h -> h.stopping(m).otherwiseEmpty()).toList())
            .transform(x -> {
              HttpApi server = apiServer.getAndSet(null);
              String id = api.getAndSet(null);
              // the request that asked for the reboot (a HUP's) is answered before the API goes
              return id == null ? Future.<Void>succeededFuture()
                  : server.shutdown(java.time.Duration.ofSeconds(2)).otherwiseEmpty().compose(v -> vertx.undeploy(id))
                      .otherwiseEmpty();
            }))
        .onOff(() -> {
          if (!stopped.get()) {
            stopRequest.run(); // POST /v1/sim/poweroff, or a boot that failed: the run ends
          }
        })
        .build();
    device.set(lifecycle);
    if (!teardown.handOver(hook)) {
      lag.stop(); // SIGTERM came first: the teardown's own hook is at work
      return ExitCodes.OK;
    }
    try {
      try {
        lifecycle.start().await();
      } catch (MeshException e) {
        throw new CliFailure(ExitCodes.CONFIG, "cannot start: " + e.getMessage());
      } catch (RuntimeException e) {
        if (first.get() != null && api.get() == null && port.get() >= 0) {
          throw new CliFailure(ExitCodes.UNAVAILABLE, MeshRunner.apiProblem(settings, e));
        }
        throw e;
      } catch (Exception e) { // a checked BindException from the API, rethrown by await()
        throw new CliFailure(ExitCodes.UNAVAILABLE, MeshRunner.apiProblem(settings, e));
      }
      if (options.exitWhenReady()) {
        lifecycle.awaitBoot(1).await();
        int code = first.get().await(options.timeout(), err);
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

  private static Future<Void> deployApi(Vertx vertx, Mesh m, MeshSettings settings, AtomicInteger port, boolean again,
      AtomicReference<String> api, AtomicReference<HttpApi> apiServer, LagProbe lag, Runnable stopRequest, PrintWriter out, PrintWriter err) {
    if (port.get() < 0) {
      return Future.succeededFuture();
    }
    // the same port every boot: clients (and the port file) keep finding the device. A port
    // another program took since the last boot is tried again, and one chosen freely moves.
    IntFunction<HttpApi> onPort = p -> new HttpApi(m, settings.apiHost(), p, lag.probe()).stopAction(stopRequest);
    Future<HttpApi> deployed;
    if (again) {
      deployed = ApiRebind.deploy(vertx, onPort, port.get(), settings.apiPort() == 0);
    } else {
      HttpApi first = onPort.apply(port.get());
      deployed = vertx.deployVerticle(first).map(id -> first);
    }
    return deployed.compose(server -> {
      api.set(server.deploymentID());
      apiServer.set(server);
      int before = port.getAndSet(server.port());
      boolean announce = before != server.port();
      if (announce && again) {
        err.println("hostmesh: API port " + before + " was taken by another program while the device rebooted;"
            + " the API moved to " + server.port() + " (the port file says so)");
      }
      return MeshRunner.writePortFile(m, server.port(), err).onSuccess(v -> {
        if (announce || settings.apiPort() != 0) {
          out.println(MeshRunner.apiLine(settings, server.port()));
        }
      });
    });
  }

  /** Powers off; while a boot or a stop is under way, tries again (bounded: 60 s). */
  private static void powerOff(Vertx vertx, SimLifecycle device) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (device.state() != SimLifecycle.State.OFF && System.nanoTime() < deadline) {
      try {
        device.powerOff("stop requested").await();
        return;
      } catch (RuntimeException busy) {
        vertx.timer(50).await(); // booting or stopping: that settles within the stop grace
      }
    }
  }

}
