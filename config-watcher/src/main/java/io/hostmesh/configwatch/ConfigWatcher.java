package io.hostmesh.configwatch;

import io.hostmesh.bus.Topic;
import io.hostmesh.platform.HostPathException;
import io.hostmesh.platform.Timer;
import io.hostmesh.schema.config.ConfigDocument;
import io.hostmesh.schema.config.ConfigError;
import io.hostmesh.schema.config.ConfigStatus;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.ConfigViolation;
import io.hostmesh.schema.config.DeviceConfig;
import io.hostmesh.unit.RestartPolicy;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * config-watcher (spec/units.md §3, config-json.path + os-config-json): watches
 * {@code /mnt/boot/config.json}, validates it ({@code ConfigSchema}), latches the config in
 * force on {@link ConfigTopics#CONFIG} and each unit's projection when it changed.
 *
 * <p>A missing, invalid, truncated, wrongly typed or hostile file is refused: the last good
 * config stays in force, nothing is rewritten, a {@code ConfigError} event carries the JSON
 * pointer and reason, and {@link ConfigTopics#STATUS} counts it and keeps it until the file is
 * fixed. A missing file at start leaves the units that need config waiting ("waiting for config").
 *
 * <p>Settings ({@code units.config-watcher}): {@code debounceMillis} (2) after the last event;
 * {@code partialWriteGraceMillis} (250): a file that does not parse is read once more after this
 * before it is refused, since a writer that does not rename may be half way;
 * {@code rescanMillis} (5000, 0 = off): a periodic look in case an event was lost.
 *
 * <p>Threading: all state on the unit's event loop; the folder watch has its own thread.
 */
public final class ConfigWatcher extends UnitVerticle {
  public static final String NAME = "config-watcher";
  /** config.json as a device path. */
  public static final String CONFIG_PATH = ConfigDocument.DEVICE_PATH;
  /** A config.json is a few KiB; a file past this is refused unread. */
  static final long MAX_BYTES = 1 << 20;
  public static final UnitDescriptor DESCRIPTOR = descriptor(UnitDescriptor.named(NAME).service()
      .description("Watches config.json and hands each unit its keys (config-json.path, os-config-json)")
      .restart(RestartPolicy.always(Duration.ofSeconds(1))));

  private ConfigFileWatch watch;
  private ProjectionFanout fanout;
  private Timer debounce;
  private Timer rescan;
  private Duration debounceDelay;
  private Duration grace;
  private String examined;
  private String graced;
  private ConfigStatus status = ConfigStatus.initial();
  private boolean stopped;

  private static UnitDescriptor descriptor(UnitDescriptor.Builder b) {
    List<Topic<?>> topics = new ArrayList<>(List.of(ConfigTopics.CONFIG, ConfigTopics.STATUS));
    ConfigTopics.PROJECTIONS.forEach(p -> topics.add(p.topic()));
    return b.publishes(topics.toArray(Topic[]::new)).build();
  }

  @Override
  public UnitDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public Future<?> start() {
    debounceDelay = Duration.ofMillis(unit().settings().getLong("debounceMillis", 2L));
    grace = Duration.ofMillis(unit().settings().getLong("partialWriteGraceMillis", 250L));
    long rescanMillis = unit().settings().getLong("rescanMillis", 5000L);
    fanout = new ProjectionFanout(unit().bus());
    status = unit().bus().latest(ConfigTopics.STATUS).orElse(ConfigStatus.initial());
    return unit().files().mkdirs("/mnt/boot", null).compose(v -> {
      try {
        Path dir = unit().files().resolve("/mnt/boot");
        watch = new ConfigFileWatch(dir, "config.json", () -> context.runOnContext(x -> changed()),
            why -> unit().fail(why));
        watch.start();
      } catch (IOException | HostPathException e) {
        return Future.failedFuture("cannot watch /mnt/boot: " + e.getMessage());
      }
      check();
      if (rescanMillis > 0) {
        rescan = unit().scheduler().periodic(Duration.ofMillis(rescanMillis), () -> context.runOnContext(x -> check()));
      }
      return Future.succeededFuture();
    }).recover(e -> Future.failedFuture(e.getMessage().startsWith("cannot watch") ? e.getMessage()
        : "cannot watch /mnt/boot: " + e.getMessage()));
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    if (watch != null) {
      watch.close();
    }
    cancel(debounce);
    cancel(rescan);
    return Future.succeededFuture();
  }

  /** An event about the file: look again once events stop for the debounce delay. */
  private void changed() {
    if (stopped) {
      return;
    }
    cancel(debounce);
    debounce = unit().scheduler().schedule(debounceDelay, () -> context.runOnContext(v -> check()));
  }

  /** Reads the file and acts on it when it differs from the version last judged. */
  private void check() {
    if (stopped) {
      return;
    }
    byte[] bytes;
    try {
      bytes = read();
    } catch (NoSuchFileException e) {
      if (!"".equals(examined)) {
        examined = "";
        refuse("", new ConfigViolation("", "file not found"));
      }
      return;
    } catch (IOException | RuntimeException e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      String key = "unreadable:" + why;
      if (!key.equals(examined)) {
        examined = key;
        refuse("", new ConfigViolation("", "cannot read the file: " + why));
      }
      return;
    }
    String digest = ConfigDocument.digest(bytes);
    if (digest.equals(examined)) {
      return;
    }
    ConfigDocument.Reading reading = ConfigDocument.read(bytes);
    if (!reading.ok() && reading.first().pointer().isEmpty() && !grace.isZero() && !digest.equals(graced)) {
      // maybe half written: judge it only if it is still the same after the grace period
      graced = digest;
      cancel(debounce);
      debounce = unit().scheduler().schedule(grace, () -> context.runOnContext(v -> check()));
      return;
    }
    examined = digest;
    graced = null;
    if (reading.ok()) {
      apply(digest, reading.config());
    } else {
      refuse(digest, reading.first());
    }
  }

  private byte[] read() throws IOException {
    Path file = unit().files().resolve(CONFIG_PATH);
    if (Files.isDirectory(file)) {
      throw new IOException("it is a folder");
    }
    if (Files.size(file) > MAX_BYTES) {
      throw new IOException("larger than " + MAX_BYTES + " bytes");
    }
    return Files.readAllBytes(file);
  }

  private void apply(String digest, DeviceConfig config) {
    DeviceConfig previous = unit().bus().latest(ConfigTopics.CONFIG).orElse(null);
    if (!config.equals(previous)) {
      unit().log().info("config.json changed");
      unit().bus().publish(ConfigTopics.CONFIG, config);
    }
    for (Topic<?> t : fanout.publish(config)) {
      unit().log().info(t.address().substring("config.unit.".length()) + " configuration changed");
    }
    publish(new ConfigStatus(true, digest, status.checks() + 1, status.applied() + 1, status.errors(), null));
    unit().status("");
  }

  private void refuse(String digest, ConfigViolation v) {
    ConfigError error = new ConfigError(CONFIG_PATH, v.pointer(), v.reason(), NAME, unit().clock().now());
    boolean inForce = unit().bus().latest(ConfigTopics.CONFIG).isPresent();
    unit().log().error("Refusing " + CONFIG_PATH + ": " + v + ". " + (inForce
        ? "The last good configuration stays in force."
        : "No configuration in force yet: the units that need it wait."));
    unit().bus().publish(ConfigTopics.CONFIG_ERROR, error);
    unit().status("config.json refused at " + (v.pointer().isEmpty() ? "/" : v.pointer()) + ": " + v.reason()
        + (inForce ? " (last good config in force)" : " (no config in force yet)"));
    publish(new ConfigStatus(inForce, digest, status.checks() + 1, status.applied(), status.errors() + 1, error));
  }

  private void publish(ConfigStatus s) {
    status = s;
    unit().bus().publish(ConfigTopics.STATUS, s);
  }

  private static void cancel(Timer t) {
    if (t != null) {
      t.cancel();
    }
  }
}
