package io.hostmesh.hostos;

import io.hostmesh.mesh.Mesh;
import io.hostmesh.mesh.MeshBuilder;
import io.hostmesh.platform.Scheduler;
import io.hostmesh.schema.unit.LogLine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Chooses root, units, time and the initial host OS of a {@link SimLifecycle}:
 * {@code SimLifecycle.builder(vertx, root)}, then the choices, then {@link #build()}.
 *
 * <p>Threading: one thread builds, outside any verticle (see {@link SimLifecycle}).
 */
public final class SimLifecycleBuilder {
  final Vertx vertx;
  final Path root;
  Scheduler scheduler;
  Consumer<MeshBuilder> units = MeshBuilder::discover;
  Consumer<LogLine> logSink = l -> System.err.println("[" + l.unit() + "][" + l.level() + "] " + l.message());
  final List<Consumer<Mesh>> bootListeners = new ArrayList<>();
  Function<Mesh, Future<Void>> beforeStart = m -> Future.succeededFuture();
  Function<Mesh, Future<Void>> beforeStop = m -> Future.succeededFuture();
  Runnable onOff = () -> {};
  String layoutVersion;
  BootEnv.Kind layoutKind = BootEnv.Kind.UBOOT;

  SimLifecycleBuilder(Vertx vertx, Path root) {
    this.vertx = vertx;
    this.root = root;
  }

  /** The scheduler of every boot, e.g. one {@code VirtualScheduler} across reboots; default real time. */
  public SimLifecycleBuilder scheduler(Scheduler s) {
    this.scheduler = s;
    return this;
  }

  /** Chooses each boot's units on its mesh builder; default: every unit on the class path ({@code discover()}). */
  public SimLifecycleBuilder units(Consumer<MeshBuilder> chooser) {
    this.units = chooser;
    return this;
  }

  /** Where log lines go (the units' and the lifecycle's own); default standard error. */
  public SimLifecycleBuilder logSink(Consumer<LogLine> sink) {
    this.logSink = sink;
    return this;
  }

  /** Called with each boot's mesh once its units start (e.g. to mount the HTTP API on it). */
  public SimLifecycleBuilder onBoot(Consumer<Mesh> listener) {
    bootListeners.add(listener);
    return this;
  }

  /** Runs on each boot's mesh before its units start (e.g. deploying the HTTP API); a failure fails the boot. */
  public SimLifecycleBuilder beforeStart(Function<Mesh, Future<Void>> step) {
    this.beforeStart = step;
    return this;
  }

  /** Runs on each boot's mesh before its units stop or its power is cut (e.g. undeploying the API); failures are ignored. */
  public SimLifecycleBuilder beforeStop(Function<Mesh, Future<Void>> step) {
    this.beforeStop = step;
    return this;
  }

  /** Called on the lifecycle's context once the device is off after a power-off (not after a reboot). */
  public SimLifecycleBuilder onOff(Runnable r) {
    this.onOff = r;
    return this;
  }

  /** Lays out an A/B host OS at start when the root has none ({@link SimOs#layout}). */
  public SimLifecycleBuilder layout(String version, BootEnv.Kind kind) {
    this.layoutVersion = version;
    this.layoutKind = kind;
    return this;
  }

  public SimLifecycle build() {
    return new SimLifecycle(this);
  }
}
