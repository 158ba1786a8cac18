package io.hostmesh.configwatch;

import io.hostmesh.bus.Topic;
import io.hostmesh.platform.HostPathException;
import io.hostmesh.platform.Timer;
import io.hostmesh.schema.config.ConfigDocument;
import io.hostmesh.schema.config.JsonTrees;
import io.hostmesh.schema.config.ConfigError;
import io.hostmesh.schema.config.ConfigStatus;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.ConfigViolation;
import io.hostmesh.schema.config.DeviceConfig;
import io.hostmesh.schema.config.RefusedKey;
import io.hostmesh.unit.RestartPolicy;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * config-watcher (spec/units.md §3, config-json.path + os-config-json): watches
 * {@code /mnt/boot/config.json}, validates it ({@code ConfigSchema}) key by key, latches the
 * config in force on {@link ConfigTopics#CONFIG} and each unit's projection when it changed.
 *
 * <p>A refused key (wrongly typed or hostile) holds back only the projections that read it
 * ({@code ConfigTopics.Projection#reads}): each keeps its last good value, or, before it ever
 * had one, stays unlatched so its units wait with the reason in their status line; every other
 * projection is published. A missing, non-JSON, truncated or non-object file, or anything but
 * a regular file (a FIFO is never opened), is refused whole: the last good config stays in
 * force. Every violation is reported: a {@code ConfigError} event each, and
 * {@link ConfigTopics#STATUS} lists them with what they hold back until the file is fixed.
 *
 * <p>Settings ({@code units.config-watcher}): {@code debounceMillis} (2) after the last event;
 * {@code partialWriteGraceMillis} (250): a file that does not parse is read once more after this
 * before it is refused, since a writer that does not rename may be half way;
 * {@code rescanMillis} (30000, 0 = off): a periodic look in case an event was lost (a safety net:
 * each look reads the file on a worker, and a look every 5 s kept one worker thread alive for good).
 *
 * <p>Threading: all state on the unit's event loop; the file is read on a worker (ordered). The
 * folder watch is read on the same loop when Vert.x runs on epoll (inotify, no thread), else on a
 * thread of its own (the JDK's watch service).
 */
public final class ConfigWatcher extends UnitVerticle {
  public static final String NAME = "config-watcher";
  /** config.json as a device path. */
  public static final String CONFIG_PATH = ConfigDocument.DEVICE_PATH;
  public static final UnitDescriptor DESCRIPTOR = descriptor(UnitDescriptor.named(NAME).service()
      .description("Watches config.json and hands each unit its keys (config-json.path, os-config-json)")
      .restart(RestartPolicy.always(Duration.ofSeconds(1))));

  private FolderWatch watch;
  private AutoCloseable modelWatch;
  private ProjectionFanout fanout;
  private Timer debounce;
  private Timer rescan;
  private Duration debounceDelay;
  private Duration grace;
  private String examined;
  private String graced;
  private ConfigStatus status = ConfigStatus.initial();
  private ObjectNode lastGood;
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
    long rescanMillis = unit().settings().getLong("rescanMillis", 30000L);
    fanout = new ProjectionFanout(unit().bus());
    status = unit().bus().latest(ConfigTopics.STATUS).orElse(ConfigStatus.initial());
    lastGood = unit().bus().latest(ConfigTopics.CONFIG)
        .map(c -> (ObjectNode) JsonTrees.tree(c.document())).orElse(null);
    return unit().files().mkdirs("/mnt/boot", null).compose(v -> ConfigFileWatch.prepare(context)).compose(v -> {
      try {
        Runnable onChange = () -> context.runOnContext(x -> changed());
        // files that report their own changes (the fleet's in-memory ones) need no folder watch
        modelWatch = unit().files().watch("/mnt/boot", "config.json", onChange).orElse(null);
        if (modelWatch == null) {
          Path dir = unit().files().resolve("/mnt/boot");
          watch = ConfigFileWatch.start(context, dir, "config.json", onChange, why -> unit().fail(why));
        }
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
    if (modelWatch != null) {
      try {
        modelWatch.close();
      } catch (Exception ignored) {
        // an in-memory watch has nothing to fail on
      }
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

  /**
   * Reads the file on a worker (checks stay in order), with its digest and, when it is not the
   * version last judged, its parsing and validation: a few ms of CPU per version on a small
   * board, which would otherwise hold the event loop. Then judges it on the event loop.
   */
  private void check() {
    if (stopped) {
      return;
    }
    String judged = examined;
    vertx.executeBlocking(() -> Look.of(ConfigDocument.readFile(unit().files().resolve(CONFIG_PATH)), judged), true)
        .onComplete(ar -> {
          if (!stopped) {
            judge(ar.succeeded() ? ar.result() : null, ar.cause());
          }
        });
  }

  /**
   * What a look at the file found, worked out on the worker.
   *
   * @param reading null when the digest was the one judged last when the look began
   */
  private record Look(String digest, ConfigDocument.Reading reading, byte[] bytes) {
    static Look of(byte[] bytes, String judged) {
      String digest = ConfigDocument.digest(bytes);
      return new Look(digest, digest.equals(judged) ? null : ConfigDocument.read(bytes), bytes);
    }
  }

  /** Acts on the version read (or the failure) when it differs from the version last judged. */
  private void judge(Look look, Throwable failure) {
    if (failure instanceof NoSuchFileException) {
      if (!"".equals(examined)) {
        examined = "";
        refuseWhole("", new ConfigViolation("", "file not found"));
      }
      return;
    }
    if (failure != null) {
      String why = failure.getMessage() == null ? failure.toString() : failure.getMessage();
      String key = "unreadable:" + why;
      if (!key.equals(examined)) {
        examined = key;
        refuseWhole("", new ConfigViolation("", "cannot read the file: " + why));
      }
      return;
    }
    String digest = look.digest();
    if (digest.equals(examined)) {
      return;
    }
    // not read on the worker only when another version was judged while it looked (rare)
    ConfigDocument.Reading reading = look.reading() != null ? look.reading() : ConfigDocument.read(look.bytes());
    if (reading.refusedWhole() && !grace.isZero() && !digest.equals(graced)) {
      // maybe half written: judge it only if it is still the same after the grace period
      graced = digest;
      cancel(debounce);
      debounce = unit().scheduler().schedule(grace, () -> context.runOnContext(v -> check()));
      return;
    }
    examined = digest;
    graced = null;
    if (reading.refusedWhole()) {
      refuseWhole(digest, reading.first());
    } else {
      apply(digest, reading);
    }
  }

  /** Puts a document in force, each refused key held back (its projections keep their last good value). */
  private void apply(String digest, ConfigDocument.Reading reading) {
    List<ConfigViolation> violations = reading.violations();
    ObjectNode effective = ConfigDocument.effective(reading.document(), violations, lastGood);
    DeviceConfig config = ConfigDocument.toConfig(effective);
    Set<Topic<?>> held = new HashSet<>();
    ConfigTopics.heldBack(violations).forEach(p -> held.add(p.topic()));
    lastGood = effective;
    DeviceConfig previous = unit().bus().latest(ConfigTopics.CONFIG).orElse(null);
    if (!config.equals(previous)) {
      unit().log().info("config.json changed");
      unit().bus().publish(ConfigTopics.CONFIG, config);
    }
    for (Topic<?> t : fanout.publish(config, held)) {
      unit().log().info(t.address().substring("config.unit.".length()) + " configuration changed");
    }
    List<RefusedKey> refused = violations.stream().map(RefusedKey::of).toList();
    for (RefusedKey k : refused) {
      String readers = k.projections().isEmpty() ? "no unit reads it"
          : String.join(", ", k.projections()) + (fanout.latched(k.projections())
              ? " keep" + (k.projections().size() == 1 ? "s" : "") + " the last good value"
              : " wait" + (k.projections().size() == 1 ? "s" : "") + " for a good value");
      unit().log().error("Refusing " + k + " in " + CONFIG_PATH + "; " + readers + ".");
      unit().bus().publish(ConfigTopics.CONFIG_ERROR, error(k));
    }
    publish(new ConfigStatus(true, digest, status.checks() + 1, status.applied() + 1,
        status.errors() + (refused.isEmpty() ? 0 : 1), refused.isEmpty() ? null : error(refused.get(0)), refused));
    unit().status(refused.isEmpty() ? "" : statusLine(refused));
  }

  /** hostmesh status shows the count and the first; GET /v1/config/status and hostmesh config check list every one. */
  static String statusLine(List<RefusedKey> refused) {
    RefusedKey first = refused.get(0);
    String holds = first.projections().isEmpty() ? "no unit reads it" : "holds back " + String.join(", ", first.projections());
    return "config.json: " + (refused.size() == 1 ? "1 key refused: " : refused.size() + " keys refused, first ")
        + first + " (" + holds + ")";
  }

  /** Refuses the whole document: the last good config stays in force, every projection is held. */
  private void refuseWhole(String digest, ConfigViolation v) {
    RefusedKey k = RefusedKey.of(v);
    boolean inForce = unit().bus().latest(ConfigTopics.CONFIG).isPresent();
    unit().log().error("Refusing " + CONFIG_PATH + ": " + v + ". " + (inForce
        ? "The last good configuration stays in force."
        : "No configuration in force yet: the units that need it wait."));
    unit().bus().publish(ConfigTopics.CONFIG_ERROR, error(k));
    unit().status("config.json refused at " + (v.pointer().isEmpty() ? "/" : v.pointer()) + ": " + v.reason()
        + (inForce ? " (last good config in force)" : " (no config in force yet)"));
    publish(new ConfigStatus(inForce, digest, status.checks() + 1, status.applied(), status.errors() + 1, error(k),
        List.of(k)));
  }

  private ConfigError error(RefusedKey k) {
    return new ConfigError(CONFIG_PATH, k.pointer(), k.reason(), NAME, unit().clock().now());
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
