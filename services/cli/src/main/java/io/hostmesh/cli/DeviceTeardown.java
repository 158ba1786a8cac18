package io.hostmesh.cli;

import io.hostmesh.spi.DemoHook;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a command sets up around a device of its own (a temporary root, the demo's servers) and
 * takes down once the device has stopped: at the normal end, after a failure, and on SIGTERM.
 *
 * <p>From {@link #guarded} on, a shutdown hook of its own takes everything down if the JVM is
 * stopped before the runner has started: while the root is laid out and the demo's servers are
 * prepared (about a second; before, a SIGTERM then left the root in {@code /tmp} until the next
 * demo tidied it). The runner takes that hook over ({@link #handOver}): from then on its own hook
 * stops the device and then calls {@link #run}, so two hooks never work on one root at once.
 *
 * <p>Threading: {@link #add} from the command's thread, {@link #run} from any thread (once).
 */
final class DeviceTeardown implements Runnable {
  private final Path temporaryRoot;
  private final List<DemoHook> hooks = new CopyOnWriteArrayList<>();
  private final AtomicBoolean done = new AtomicBoolean();
  private final Thread guard;

  private DeviceTeardown(Path temporaryRoot, boolean guarded) {
    this.temporaryRoot = temporaryRoot;
    this.guard = guarded ? new Thread(this, "hostmesh-teardown") : null;
    if (guard != null) {
      Runtime.getRuntime().addShutdownHook(guard);
    }
  }

  /** Nothing of a command's own: the runner's hook is installed as it is. */
  static DeviceTeardown none() {
    return new DeviceTeardown(null, false);
  }

  /**
   * Takes down the demo parts added and, when {@code temporaryRoot} is not null, removes that
   * folder; on SIGTERM too, from now on.
   */
  static DeviceTeardown guarded(Path temporaryRoot) {
    return new DeviceTeardown(temporaryRoot, true);
  }

  /** A demo part prepared (or being prepared: its close must cope) for this device. */
  void add(DemoHook hook) {
    hooks.add(hook);
  }

  /**
   * Installs the runner's shutdown hook in place of this one's; false when the JVM is stopping
   * already (a SIGTERM came first: this one's hook takes everything down, the runner starts nothing).
   */
  boolean handOver(Thread runnerHook) {
    try {
      if (guard != null) {
        Runtime.getRuntime().removeShutdownHook(guard);
      }
      Runtime.getRuntime().addShutdownHook(runnerHook);
      return true;
    } catch (IllegalStateException stopping) {
      return false;
    }
  }

  /** The demo parts closed, then the temporary root removed; once, whoever calls first. */
  @Override
  public void run() {
    if (!done.compareAndSet(false, true)) {
      return;
    }
    try {
      Future.all(hooks.stream().map(DemoHook::close).toList()).otherwiseEmpty().await();
    } finally {
      if (temporaryRoot != null) {
        DemoCommand.TempRoots.delete(temporaryRoot);
      }
    }
  }
}
