package io.hostmesh.unit.support;

import io.hostmesh.bus.Subscription;
import io.hostmesh.bus.Topic;
import io.hostmesh.schema.config.ConfigError;
import io.hostmesh.schema.config.ConfigStatus;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.unit.RestartPolicy;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A service unit driven by one config projection: it applies the value in force at start and
 * then every change, one at a time; when changes arrive while it works only the newest is
 * applied next. It hears nothing about keys it does not read (meta-balena issue 2464).
 *
 * <p>A value the unit refuses ({@link RefusedValue}) or cannot apply fails this unit only: its
 * files stay as they were, a {@code ConfigError} names the key, and the restart policy
 * ({@link #RETRY}) tries the value in force again, so fixing config.json heals the unit.
 *
 * <p>A key config-watcher refuses never reaches the unit: the projection keeps its last good
 * value, and the unit's status line says which key is refused and why until it is fixed
 * (before any good value the unit waits, and the mesh shows the reason in its waiting line).
 *
 * <p>Threading: everything runs on the unit's event loop; {@link #apply} must not block: its file
 * writes ({@code HostFiles}) and commands return futures and run on workers.
 *
 * @param <T> the projection record
 */
public abstract class ProjectionUnit<T> extends UnitVerticle {
  /** Delay before a failed config unit tries again (systemd's usual RestartSec=10s). */
  public static final Duration RETRY = Duration.ofSeconds(10);
  /** Where the values come from, as ConfigError names it. */
  public static final String CONFIG_FILE = ConfigFileEdit.CONFIG_PATH;

  private final Topic<T> projection;
  private final UnitDescriptor descriptor;
  private Subscription subscription;
  private Subscription refusals;
  private String refusal = "";
  private T pending;
  private T skipOnce;
  private boolean busy;
  private boolean stopped;

  /**
   * A config-driven service named {@code name}: it requires {@code projection} and retries on
   * failure; {@code details} adds the rest (description, what it publishes).
   */
  protected ProjectionUnit(String name, Topic<T> projection, UnaryOperator<UnitDescriptor.Builder> details) {
    this.projection = projection;
    this.descriptor = details.apply(UnitDescriptor.named(name).service()
        .requires(projection, v -> true, "config")
        .restart(RestartPolicy.onFailure(RETRY))).build();
  }

  @Override
  public final UnitDescriptor descriptor() {
    return descriptor;
  }

  /** The projection this unit reads. */
  protected final Topic<T> projection() {
    return projection;
  }

  /**
   * Applies one value. Throwing {@link RefusedValue} (or returning a future failed with it)
   * refuses the value; any other failure fails the unit with its message.
   */
  protected abstract Future<Void> apply(T value) throws Exception;

  @Override
  public final Future<?> start() {
    T first = unit().bus().latest(projection()).orElse(null);
    if (first == null) {
      return Future.failedFuture("no " + projection().address() + " latched");
    }
    skipOnce = first;
    subscription = unit().bus().subscribe(projection(), this::offer);
    refusals = unit().bus().subscribe(ConfigTopics.STATUS, this::refused);
    busy = true;
    return subscription.completion().compose(v -> guarded(first)).onComplete(ar -> {
      busy = false;
      if (ar.failed()) {
        stopped = true;
        subscription.cancel();
        refusals.cancel();
      } else {
        drain();
      }
    });
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    if (refusals != null) {
      refusals.cancel();
    }
    return subscription == null ? Future.succeededFuture() : subscription.cancel();
  }

  /** Shows on the unit's line whether config-watcher holds a key of this projection back. */
  private void refused(ConfigStatus s) {
    String line = s.holding(projection).map(k -> (k.pointer().isEmpty() ? "config.json" : k.pointer())
        + " refused (" + k.reason() + "): the last good value stays in force").orElse("");
    if (!stopped && !line.equals(refusal)) {
      refusal = line;
      unit().status(line);
    }
  }

  private void offer(T value) {
    if (value == skipOnce) {
      skipOnce = null;
      return;
    }
    skipOnce = null;
    pending = value;
    if (!busy) {
      drain();
    }
  }

  private void drain() {
    if (stopped || busy || pending == null) {
      return;
    }
    T next = pending;
    pending = null;
    busy = true;
    guarded(next).onComplete(ar -> {
      busy = false;
      if (ar.failed()) {
        unit().fail(String.valueOf(ar.cause().getMessage()));
      } else {
        drain();
      }
    });
  }

  private Future<Void> guarded(T value) {
    Future<Void> applied;
    try {
      applied = apply(value);
    } catch (Exception e) {
      applied = Future.failedFuture(e);
    }
    return applied.recover(this::report);
  }

  private Future<Void> report(Throwable e) {
    if (e instanceof RefusedValue r) {
      unit().log().error("Refusing " + r.violation().pointer() + ": " + r.violation().reason());
      unit().bus().publish(ConfigTopics.CONFIG_ERROR, new ConfigError(CONFIG_FILE, r.violation().pointer(),
          r.violation().reason(), unit().name(), unit().clock().now()));
      return Future.failedFuture(r.violation().pointer() + ": " + r.violation().reason());
    }
    String why = e.getMessage() == null ? e.toString() : e.getMessage();
    unit().log().error(why);
    return Future.failedFuture(why);
  }
}
