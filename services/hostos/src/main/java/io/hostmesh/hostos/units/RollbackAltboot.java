package io.hostmesh.hostos.units;

import io.hostmesh.hostos.BootEnv;
import io.hostmesh.hostos.HostOs;
import io.hostmesh.hostos.RollbackFiles;
import io.hostmesh.hostos.Sleeper;
import io.hostmesh.schema.hostos.HupOutcome;
import io.hostmesh.unit.Condition;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * rollback-altboot.service (spec/rollbacks.md): runs only while the altboot breadcrumb exists,
 * before the engine. After {@code rollback-check-version}, if {@code resin_root_part} does not
 * name the running root the bootloader has fallen back (the new OS never reached userspace): the
 * hooks run with {@code DURING_UPDATE=0} to point the bootloader at the running root, then
 * {@code rollback-altboot-triggered}, {@code rollback-stop}, a 10 s pause and a reboot.
 *
 * <p>Settings ({@code units.rollback-altboot}): {@code rebootDelaySeconds} (10).
 */
public final class RollbackAltboot extends UnitVerticle {
  public static final UnitDescriptor DESCRIPTOR = UnitDescriptor.named("rollback-altboot")
      .description("Make a bootloader fallback permanent")
      .oneshot()
      .after("bootloader")
      .condition(Condition.pathExists(RollbackFiles.ALTBOOT_BREADCRUMB))
      .build();

  private Sleeper sleeper;

  @Override
  public UnitDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public Future<?> start() {
    sleeper = new Sleeper(unit());
    return sleeper.ready().compose(v -> run());
  }

  @Override
  public Future<?> stop() {
    return sleeper == null ? Future.succeededFuture() : sleeper.close();
  }

  private Future<Void> run() {
    HostOs os = new HostOs(unit());
    BootEnv env;
    HostOs.Running running;
    try {
      Optional<String> old = os.checkVersion();
      if (old.isPresent()) {
        return Future.failedFuture("rollback-check-version: " + old.get());
      }
      env = os.env();
      running = os.running();
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    if (!env.hasUpgradeAvailable() || env.rootPart().isEmpty()) {
      String why = "Rollback: Could not find " + (env.rootPart().isEmpty() ? "resin_root_part" : "upgrade_available")
          + " variable in bootloader environment";
      unit().log().error(why);
      return Future.failedFuture(why);
    }
    if (!running.known()) {
      return Future.failedFuture("cannot tell which root is running");
    }
    if (running.namedBy(env.rootPart())) {
      unit().log().info("Rollback: Nothing to do by rollback-altboot.service");
      unit().log().info("Rollback: rollback-health.service will run sanity checks and remove breadcrumbs");
      return Future.succeededFuture();
    }
    unit().log().info("Rollback: Looks like we are running in altboot mode. Running hooks to recover bootfiles");
    Duration delay = Duration.ofMillis((long) (unit().settings().getDouble("rebootDelaySeconds", 10.0) * 1000));
    return os.hooks(false, running.slot())
        .compose(v -> os.touch(RollbackFiles.ALTBOOT_TRIGGERED))
        .compose(v -> os.rollbackStop().otherwise(e -> {
          unit().log().warn("Rollback: rollback-stop failed: " + e.getMessage());
          return null;
        }))
        .compose(v -> os.finishHup(HupOutcome.ROLLED_BACK_ALTBOOT, "the new OS did not reach userspace within "
            + "the boot limit (bootcount " + env.bootcount() + "); the bootloader fell back to slot " + running.slot()))
        .compose(v -> {
          sleeper.ownShutdown();
          unit().log().info("Rollback: Rebooting system");
          return sleeper.sleep(delay);
        })
        .compose(v -> os.reboot("rollback-altboot: the bootloader fell back to slot " + running.slot(), false));
  }
}
