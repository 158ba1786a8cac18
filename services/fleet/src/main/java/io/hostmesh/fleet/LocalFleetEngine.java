package io.hostmesh.fleet;

import io.hostmesh.cli.ExitCodes;
import io.hostmesh.cli.FleetEngine;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@code hostmesh fleet run} in one JVM: the fleet split into partitions, each run on its own
 * event loop and thread at the same time, their results merged into the report. A progress line
 * goes to standard error every 2 s of wall time: virtual time reached (the slowest partition's),
 * devices up, virtual events per wall second.
 */
public final class LocalFleetEngine implements FleetEngine {
  /** Wall-clock bound of one run: a fleet that has not finished by then is reported as a failure. */
  private static final long MAX_WALL_HOURS = 24;

  @Override
  public int run(Run run, PrintWriter out, PrintWriter err) {
    return run(run, -1, out, err);
  }

  /** {@code apiPort} -1: no live view. */
  @Override
  public int run(Run run, int apiPort, PrintWriter out, PrintWriter err) {
    FleetInputs inputs = FleetInputs.check(run, err);
    if (inputs.refused()) {
      return inputs.exit();
    }
    Scenario scenario = inputs.scenario();
    FleetLive live = null;
    if (apiPort >= 0) {
      try {
        live = FleetLive.listen(apiPort);
      } catch (Exception e) {
        Throwable c = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        err.println("hostmesh fleet run: cannot serve GET " + FleetLive.PATH + " on 127.0.0.1:" + apiPort + ": "
            + c.getMessage() + " (--port 0 picks a free port)");
        return ExitCodes.UNAVAILABLE;
      }
      err.println("fleet: GET http://127.0.0.1:" + live.port() + FleetLive.PATH);
      err.flush();
    }
    try {
      int folder = FleetInputs.reportFolder(run, err);
      if (folder != ExitCodes.OK) {
        return folder;
      }
      return run(run, scenario, inputs.partitions(run), live, out, err);
    } finally {
      if (live != null) {
        live.close();
      }
    }
  }

  private int run(Run run, Scenario scenario, List<PartitionSpec> specs, FleetLive live, PrintWriter out,
      PrintWriter err) {
    AtomicLongArray reached = new AtomicLongArray(specs.size());
    AtomicLongArray up = new AtomicLongArray(specs.size());
    AtomicLongArray tasks = new AtomicLongArray(specs.size());
    List<String> trace = new ArrayList<>();
    FleetPartition.Observer observer = new FleetPartition.Observer() {
      @Override
      public void trace(int device, long t, String line) {
        synchronized (trace) {
          trace.add(String.format(Locale.ROOT, "%10.3f %s", t / 1000.0, line));
        }
      }

      @Override
      public void progress(int partition, long t, int devicesUp, long tasksRun) {
        reached.set(partition, t);
        up.set(partition, devicesUp);
        tasks.set(partition, tasksRun);
      }
    };
    long started = System.nanoTime();
    List<FleetPartition.Running> running = new ArrayList<>();
    List<Future<PartitionResult>> runs = new ArrayList<>();
    for (PartitionSpec spec : specs) {
      FleetPartition.Running r = FleetPartition.start(spec, observer, run.trace());
      running.add(r);
      runs.add(r.result());
    }
    AtomicLong eventsPerSecond = new AtomicLong();
    if (live != null) {
      live.attach(scenario, running, eventsPerSecond);
    }
    var all = Future.all(runs).toCompletionStage().toCompletableFuture();
    long lastTasks = 0;
    long lastAt = started;
    try {
      // a bounded wait: one progress line every 2 s, at most MAX_WALL_HOURS
      for (long i = 0; i < MAX_WALL_HOURS * 1800; i++) {
        try {
          all.get(2, TimeUnit.SECONDS);
          break;
        } catch (TimeoutException stillRunning) {
          long now = System.nanoTime();
          long t = sum(tasks);
          eventsPerSecond.set((t - lastTasks) * 1_000_000_000L / Math.max(1, now - lastAt));
          err.println(progress(min(reached), scenario.durationMillis(), sum(up), scenario.devices(), eventsPerSecond.get()));
          err.flush();
          lastTasks = t;
          lastAt = now;
        }
      }
      if (!all.isDone()) {
        err.println("hostmesh fleet run: the fleet did not finish within " + MAX_WALL_HOURS + " h of wall time");
        return ExitCodes.SOFTWARE;
      }
    } catch (ExecutionException e) {
      err.println("hostmesh fleet run: a partition failed: " + e.getCause().getMessage());
      return ExitCodes.SOFTWARE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.SOFTWARE;
    }
    PartitionResult merged = runs.get(0).result();
    for (int i = 1; i < runs.size(); i++) {
      merged = PartitionResult.merge(merged, runs.get(i).result());
    }
    long wallMs = (System.nanoTime() - started) / 1_000_000;
    err.println(progress(scenario.durationMillis(), scenario.durationMillis(), 0, scenario.devices(),
        merged.counter("virtualTasks") * 1000 / Math.max(1, wallMs)) + ", done in " + wallMs + " ms wall");
    try {
      List<Path> files = FleetOutput.write(run.report(), merged);
      if (run.trace() >= 0) {
        Path t = run.report().resolve("trace-" + run.trace() + ".txt");
        Files.write(t, trace, StandardCharsets.UTF_8);
        files = new ArrayList<>(files);
        files.add(t);
      }
      files.forEach(f -> out.println(f));
    } catch (IOException e) {
      err.println("hostmesh fleet run: cannot write the report into " + run.report() + ": " + e.getMessage());
      return ExitCodes.CANT_CREATE;
    }
    return ExitCodes.OK;
  }

  @Override
  public int replay(Replay replay, java.util.function.ToIntFunction<ReplayDevice> boot, PrintWriter out, PrintWriter err) {
    return FleetReplay.replay(replay, boot, err);
  }

  static String progress(long virtualMillis, long endMillis, long devicesUp, long devices, long eventsPerSecond) {
    return String.format(Locale.ROOT, "fleet: virtual %s of %s, %d of %d devices up, %d events/s",
        hms(virtualMillis), hms(endMillis), devicesUp, devices, eventsPerSecond);
  }

  static String hms(long ms) {
    long s = ms / 1000;
    return String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  }

  private static long sum(AtomicLongArray a) {
    long s = 0;
    for (int i = 0; i < a.length(); i++) {
      s += a.get(i);
    }
    return s;
  }

  private static long min(AtomicLongArray a) {
    long m = Long.MAX_VALUE;
    for (int i = 0; i < a.length(); i++) {
      m = Math.min(m, a.get(i));
    }
    return m == Long.MAX_VALUE ? 0 : m;
  }
}
