package io.hostmesh.testing;

import io.hostmesh.bus.Bus;
import io.hostmesh.bus.Topic;
import io.hostmesh.mesh.Mesh;
import io.hostmesh.mesh.MeshBuilder;
import io.hostmesh.mesh.MeshSettings;
import io.hostmesh.platform.Platform;
import io.hostmesh.platform.Platforms;
import io.hostmesh.platform.Profile;
import io.hostmesh.platform.Scheduler;
import io.hostmesh.platform.VertxScheduler;
import io.hostmesh.platform.VirtualScheduler;
import io.hostmesh.schema.unit.LogLine;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.schema.unit.UnitStateChanged;
import io.hostmesh.schema.unit.UnitTopics;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * An in-process simulated device for tests and integrators: a device root folder, a mesh with
 * the chosen units, and optionally virtual time.
 *
 * <pre>{@code
 * SimDevice dev = SimDevice.builder(vertx).virtualTime().unit(MyUnit::new).build();
 * dev.writeFile("/etc/timestamp", "20300101000000\n");
 * dev.start().await();
 * dev.time().advanceBy(Duration.ofSeconds(64)).await();
 * }</pre>
 *
 * <p>Each device has a bus of its own: many devices share one Vert.x and none sees another's
 * topics; a second device on the same root (a simulated reboot) starts with nothing latched.
 */
public final class SimDevice implements AutoCloseable {
  private final Path root;
  private final boolean ownsRoot;
  private final Mesh mesh;
  private final VirtualScheduler virtual;
  private final List<LogLine> logs = new CopyOnWriteArrayList<>();

  private SimDevice(Builder b) {
    try {
      this.ownsRoot = b.root == null;
      this.root = b.root != null ? b.root : Files.createTempDirectory("hostmesh-sim-");
      for (var f : b.files) {
        write(root, f[0], f[1]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Scheduler scheduler = b.virtualTime ? new VirtualScheduler(b.vertx) : new VertxScheduler(b.vertx);
    this.virtual = b.virtualTime ? (VirtualScheduler) scheduler : null;
    MeshSettings settings = new MeshSettings(Profile.SIM, root, b.settings);
    MeshBuilder mb = Mesh.builder(b.vertx, settings).scheduler(scheduler).external(b.external.toArray(Topic[]::new))
        .logSink(line -> {
          logs.add(line);
          if (b.echo) {
            System.err.println("[" + line.unit() + "][" + line.level() + "] " + line.message());
          }
        });
    b.units.forEach(mb::unit);
    if (b.platform != null) {
      Bus bus = Bus.create(b.vertx);
      mb.bus(bus).platform(b.platform.apply(Platforms.sim(b.vertx, bus, root, scheduler, settings.simRecorded())));
    }
    this.mesh = mb.build();
  }

  public static Builder builder(Vertx vertx) {
    return new Builder(vertx);
  }

  public Future<Void> start() {
    return mesh.start();
  }

  public Future<Void> stop() {
    return mesh.stop();
  }

  public Mesh mesh() {
    return mesh;
  }

  public Bus bus() {
    return mesh.bus();
  }

  public Path root() {
    return root;
  }

  /** The virtual scheduler; fails when the device runs on real time. */
  public VirtualScheduler time() {
    if (virtual == null) {
      throw new IllegalStateException("this SimDevice runs on real time");
    }
    return virtual;
  }

  /** The host path of a device path. */
  public Path path(String devicePath) {
    return mesh.platform().files().resolve(devicePath);
  }

  public void writeFile(String devicePath, String content) {
    try {
      write(root, devicePath, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String readFile(String devicePath) {
    try {
      return Files.readString(path(devicePath));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every log line so far. */
  public List<LogLine> logs() {
    return List.copyOf(logs);
  }

  /** True when the unit logged a line containing {@code text}. */
  public boolean logged(String unit, String text) {
    return logs.stream().anyMatch(l -> l.unit().equals(unit) && l.message().contains(text));
  }

  /** The first log line of the unit containing {@code text}, past or future. */
  public Future<LogLine> awaitLog(String unit, String text) {
    Predicate<LogLine> match = l -> l.unit().equals(unit) && l.message().contains(text);
    io.vertx.core.Promise<LogLine> p = io.vertx.core.Promise.promise();
    var sub = bus().subscribe(UnitTopics.LOG, l -> {
      if (match.test(l)) {
        p.tryComplete(l);
      }
    });
    sub.completion().onSuccess(v -> logs.stream().filter(match).findFirst().ifPresent(p::tryComplete));
    return p.future().onComplete(x -> sub.cancel());
  }

  /** The first value of a topic that matches (the latched one included). */
  public <T> Future<T> await(Topic<T> topic, Predicate<? super T> condition) {
    return bus().await(topic, condition);
  }

  /** The first time the unit is in {@code state} (now included). */
  public Future<UnitStateChanged> awaitUnit(String unit, UnitState state) {
    return bus().await(UnitTopics.state(unit), c -> c.state() == state);
  }

  @Override
  public void close() {
    if (ownsRoot) {
      try (var walk = Files.walk(root)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temp folder left behind is harmless
      }
    }
  }

  private static void write(Path root, String devicePath, String content) throws IOException {
    Path p = root.resolve(devicePath.startsWith("/") ? devicePath.substring(1) : devicePath);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  /** Chooses root, units, time and settings. */
  public static final class Builder {
    private final Vertx vertx;
    private Path root;
    private boolean virtualTime;
    private boolean echo = Boolean.getBoolean("hostmesh.test.echo");
    private JsonObject settings = new JsonObject().put("api", new JsonObject().put("port", -1));
    private final List<Supplier<? extends UnitVerticle>> units = new ArrayList<>();
    private final List<Topic<?>> external = new ArrayList<>();
    private final List<String[]> files = new ArrayList<>();
    private java.util.function.UnaryOperator<Platform> platform;

    private Builder(Vertx vertx) {
      this.vertx = vertx;
    }

    /**
     * Wraps the sim platform, e.g. to inject a fault at the edge (a clock that may not be set,
     * a command that fails); the units are unchanged.
     */
    public Builder platform(java.util.function.UnaryOperator<Platform> wrap) {
      this.platform = wrap;
      return this;
    }

    /** Uses this folder as the device root (kept on close); default: a new temp folder (deleted on close). */
    public Builder root(Path root) {
      this.root = root;
      return this;
    }

    /** Runs on a {@link VirtualScheduler}: timers fire only when the test advances time. */
    public Builder virtualTime() {
      this.virtualTime = true;
      return this;
    }

    /** Prints log lines to standard error too. */
    public Builder echo() {
      this.echo = true;
      return this;
    }

    public Builder unit(Supplier<? extends UnitVerticle> factory) {
      units.add(factory);
      return this;
    }

    /** Topics the test latches itself (not a graph error when no unit provides them). */
    public Builder external(Topic<?>... topics) {
      external.addAll(List.of(topics));
      return this;
    }

    /** A file under the root before start. */
    public Builder file(String devicePath, String content) {
      files.add(new String[] {devicePath, content});
      return this;
    }

    /** The mesh settings (see {@link MeshSettings}); by default the HTTP API is off. */
    public Builder settings(JsonObject s) {
      this.settings = s;
      return this;
    }

    /** Edits the settings in place. */
    public Builder settings(Consumer<JsonObject> edit) {
      edit.accept(settings);
      return this;
    }

    public SimDevice build() {
      return new SimDevice(this);
    }
  }
}
