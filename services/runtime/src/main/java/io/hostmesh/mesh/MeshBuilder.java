package io.hostmesh.mesh;

import io.hostmesh.bus.Bus;
import io.hostmesh.bus.Topic;
import io.hostmesh.platform.Platform;
import io.hostmesh.platform.Scheduler;
import io.hostmesh.schema.unit.LogLine;
import io.hostmesh.unit.RestartPolicy;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Chooses the units and the platform of a mesh: {@code Mesh.builder(vertx, settings)}, then
 * {@code discover()} or {@code unit(...)}, then {@link #build()}.
 *
 * <p>Threading: one thread builds; the mesh it builds is safe from any thread.
 */
public final class MeshBuilder {
  final Vertx vertx;
  final MeshSettings settings;
  Scheduler scheduler;
  Platform platform;
  Bus bus;
  final List<UnitRecord> records = new ArrayList<>();
  final Set<Topic<?>> external = new HashSet<>();
  Consumer<LogLine> logSink = MeshBuilder::printLine;
  String bootId;
  BootLog bootLog;

  MeshBuilder(Vertx vertx, MeshSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
  }

  /** Replaces real time, e.g. with a {@code VirtualScheduler}. */
  public MeshBuilder scheduler(Scheduler s) {
    this.scheduler = s;
    return this;
  }

  /** The device's bus; default: a new one of its own (one bus per device, never shared). */
  public MeshBuilder bus(Bus b) {
    this.bus = b;
    return this;
  }

  /** Replaces the whole platform (tests). */
  public MeshBuilder platform(Platform p) {
    this.platform = p;
    return this;
  }

  /**
   * Adds a unit made by {@code factory} (called for every start). One disabled in the settings
   * ({@code units.<name>.enabled: false}) is listed as {@code disabled} and never started; the
   * targets it provides count it as done.
   */
  public MeshBuilder unit(Supplier<? extends UnitVerticle> factory) {
    UnitDescriptor d = factory.get().descriptor();
    records.add(new UnitRecord(withRestartSettings(d), factory, settings.unitEnabled(d.name())));
    return this;
  }

  /**
   * {@code units.<name>.restart} in the settings overrides the descriptor's policy:
   * {@code {"mode": "always", "delaySeconds": 10, "burst": 5, "intervalSeconds": 10}}.
   */
  private UnitDescriptor withRestartSettings(UnitDescriptor d) {
    JsonObject r = settings.unit(d.name()).getJsonObject("restart");
    if (r == null) {
      return d;
    }
    RestartPolicy p = d.restart();
    return d.withRestart(new RestartPolicy(
        r.containsKey("mode") ? RestartPolicy.Mode.valueOf(r.getString("mode").toUpperCase().replace('-', '_')) : p.mode(),
        r.containsKey("delaySeconds") ? Duration.ofMillis((long) (r.getDouble("delaySeconds") * 1000)) : p.delay(),
        r.getInteger("burst", p.burst()),
        r.containsKey("intervalSeconds") ? Duration.ofSeconds(r.getLong("intervalSeconds")) : p.interval()));
  }

  /** Adds a unit class with a public no-argument constructor. */
  public MeshBuilder unit(Class<? extends UnitVerticle> type) {
    return unit(() -> newInstance(type));
  }

  /** Adds every unit found by {@link ServiceLoader} on the class path of {@code loader}. */
  public MeshBuilder discover(ClassLoader loader) {
    return discover(loader, c -> true);
  }

  /** Adds the units found by {@link ServiceLoader} whose class passes {@code filter}. */
  public MeshBuilder discover(ClassLoader loader, Predicate<Class<?>> filter) {
    ServiceLoader.load(UnitVerticle.class, loader).stream()
        .filter(p -> filter.test(p.type()))
        .sorted(Comparator.comparing(p -> p.type().getName()))
        .forEach(p -> unit(() -> newInstance(p.type())));
    return this;
  }

  public MeshBuilder discover() {
    return discover(Thread.currentThread().getContextClassLoader());
  }

  /** Topics latched by someone outside the mesh (a test, a bridge): not a graph error. */
  public MeshBuilder external(Topic<?>... topics) {
    external.addAll(List.of(topics));
    return this;
  }

  /** Where log lines go besides the bus; default: standard error as {@code [unit][LEVEL] message}. */
  public MeshBuilder logSink(Consumer<LogLine> sink) {
    this.logSink = sink;
    return this;
  }

  /**
   * A boot of a device rebooted in this process (the sim lifecycle): its id (32 hex digits, as
   * its bootloader step chose it; default a new random one) and the boots kept before it.
   */
  public MeshBuilder boot(String id, BootLog log) {
    if (id == null || !id.matches("[0-9a-f]{32}")) {
      throw new IllegalArgumentException("a boot id is 32 lower-case hex digits, not " + id);
    }
    this.bootId = id;
    this.bootLog = log;
    return this;
  }

  public Mesh build() {
    return new Mesh(this);
  }

  private static void printLine(LogLine l) {
    System.err.println("[" + l.unit() + "][" + l.level() + "] " + l.message());
  }

  private static <T> T newInstance(Class<T> type) {
    try {
      return type.getDeclaredConstructor().newInstance();
    } catch (InstantiationException | IllegalAccessException | NoSuchMethodException e) {
      throw new IllegalStateException(type.getName() + " needs a public no-argument constructor", e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot create " + type.getName() + ": " + e.getCause(), e.getCause());
    }
  }
}
