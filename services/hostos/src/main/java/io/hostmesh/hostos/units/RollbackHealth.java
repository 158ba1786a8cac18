package io.hostmesh.hostos.units;

import io.hostmesh.hostos.BootEnv;
import io.hostmesh.hostos.HostOs;
import io.hostmesh.hostos.RollbackFiles;
import io.hostmesh.hostos.RollbackTests;
import io.hostmesh.hostos.Sleeper;
import io.hostmesh.platform.Profile;
import io.hostmesh.schema.hostos.HupOutcome;
import io.hostmesh.unit.Condition;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * rollback-health.service (spec/rollbacks.md): runs only while the health breadcrumb exists,
 * after the VPN and the engine. On the new root with {@code upgrade_available=1} it waits
 * {@code TIMEOUT}, then runs the rollback tests until they pass, waiting {@code TIMEOUT} after
 * each failure; after {@code COUNT} failures it runs the old OS's hooks with
 * {@code DURING_UPDATE=1}, touches {@code rollback-health-triggered} (or
 * {@code rollback-health-failed} when the hooks failed), runs {@code rollback-stop} and reboots
 * after 10 s. Once the tests pass it runs {@code rollback-stop} and the commit hooks. On the other
 * root it waits {@code REBOOT_TIMEOUT} for rollback-altboot's reboot, then forces one.
 *
 * <p>Settings ({@code units.rollback-health}): {@code timeoutSeconds} (60), {@code count} (15),
 * {@code rebootTimeoutSeconds} (900), {@code rebootDelaySeconds} (10), {@code healthUnits} (units
 * that must not have failed). Waits are on the unit's scheduler: virtual time in tests.
 */
public final class RollbackHealth extends UnitVerticle {
  public static final UnitDescriptor DESCRIPTOR = UnitDescriptor.named("rollback-health")
      .description("Health-check a host OS update; commit it or roll it back")
      .oneshot()
      .after("bootloader", "rollback-altboot", "openvpn", "balena")
      .condition(Condition.pathExists(RollbackFiles.HEALTH_BREADCRUMB))
      .build();

  private Sleeper sleeper;
  private HostOs os;
  private Duration timeout;
  private int count;

  @Override
  public UnitDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public Future<?> start() {
    os = new HostOs(unit());
    sleeper = new Sleeper(unit());
    timeout = seconds("timeoutSeconds", 60);
    count = Math.max(1, unit().settings().getInteger("count", 15));
    return sleeper.ready().compose(v -> run());
  }

  @Override
  public Future<?> stop() {
    return sleeper == null ? Future.succeededFuture() : sleeper.close();
  }

  private Duration seconds(String key, double dflt) {
    return Duration.ofMillis((long) (unit().settings().getDouble(key, dflt) * 1000));
  }

  private Future<Void> run() {
    BootEnv env;
    HostOs.Running running;
    try {
      Optional<String> old = os.checkVersion();
      if (old.isPresent()) {
        return stopRollbacks().compose(v -> Future.failedFuture("rollback-check-version: " + old.get()));
      }
      env = os.env();
      running = os.running();
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    unit().log().info("Rollback: Health sanity check");
    if (!running.known()) {
      return Future.failedFuture("cannot tell which root is running");
    }
    if (!running.namedBy(env.rootPart())) {
      Duration wait = seconds("rebootTimeoutSeconds", 900);
      unit().log().info("Rollback: Looks like we are running in altboot mode. rollback-altboot.services should reboot the system in a while.");
      unit().log().info("Rollback: Sleeping for " + wait.toSeconds() + " seconds");
      unit().status("altboot: waiting " + wait.toSeconds() + " s for rollback-altboot's reboot");
      return sleeper.sleep(wait).compose(v -> {
        sleeper.ownShutdown();
        unit().log().error("Rollback: Looks like something bad happened to rollback-altboot.service. Lets force a reboot");
        return stopRollbacks();
      }).compose(v -> os.reboot("rollback-health: rollback-altboot did not reboot within " + wait.toSeconds() + " s", true));
    }
    if (!env.upgradeAvailable()) {
      unit().log().warn("Rollback: Nothing to do. Looks like we are in ROLLBACK_HEALTHY state. Why is script running?");
      return stopRollbacks();
    }
    unit().log().info("Rollback: HUP detected. Running healthchecks after " + timeout.toSeconds() + " seconds");
    unit().status("update on trial: first health check in " + timeout.toSeconds() + " s");
    return sleeper.sleep(timeout).compose(v -> {
      unit().log().info("Rollback: Running healthchecks to see if new system is stable");
      return attempt(0, new RollbackTests(unit(), os));
    });
  }

  /** The script's loop: test; on failure sleep, count, and roll back at COUNT. */
  private Future<Void> attempt(int counter, RollbackTests tests) {
    return tests.run().compose(failure -> {
      if (failure.isEmpty()) {
        return commit();
      }
      unit().log().info("Trying healthcheck again " + counter + " of " + count + " attempts");
      unit().status("update on trial: health check failed " + (counter + 1) + " of " + count + " (" + failure.get() + ")");
      return sleeper.sleep(timeout).compose(v -> counter + 1 >= count
          ? rollBack(failure.get()) : attempt(counter + 1, tests));
    });
  }

  private Future<Void> commit() {
    unit().log().info("Rollback: new OS seems stable. Preventing further rollbacks");
    return stopRollbacks().compose(v -> {
      unit().log().info("Rollback: Running commit hooks");
      if (unit().profile() == Profile.SIM) {
        return Future.<Void>succeededFuture();
      }
      return unit().processes().run(List.of("hostapp-update-hooks-v2", "--commit"), Duration.ofMinutes(15))
          .<Void>map(r -> null).otherwise(e -> null); // "|| true"
    }).compose(v -> os.finishHup(HupOutcome.COMMITTED, ""))
        .onSuccess(v -> unit().status("update committed"));
  }

  private Future<Void> rollBack(String why) {
    unit().log().info("Rollback: Looks like we failed some health check. Rolling back");
    sleeper.ownShutdown();
    Future<Boolean> hooks = os.hooksFromInactive().map(true).otherwise(e -> {
      unit().log().error("Rollback: the previous OS's hooks failed: " + e.getMessage());
      return false;
    });
    return hooks.compose(ok -> {
      if (ok) {
        unit().log().info("Rollback: Failed heathchecks. Rebooting to previous rootfs");
      } else {
        unit().log().info("Rollback: Failed to run previous hooks. Rebooting to recover system");
      }
      return os.touch(ok ? RollbackFiles.HEALTH_TRIGGERED : RollbackFiles.HEALTH_FAILED)
          .compose(v -> stopRollbacks())
          .compose(v -> os.finishHup(ok ? HupOutcome.ROLLED_BACK_HEALTH : HupOutcome.ROLLBACK_FAILED,
              "health check failed " + count + " times: " + why))
          .compose(v -> sleeper.sleep(seconds("rebootDelaySeconds", 10)))
          .compose(v -> os.reboot("rollback-health: " + why, false));
    });
  }

  /** {@code rollback-stop || true}. */
  private Future<Void> stopRollbacks() {
    return os.rollbackStop().otherwise(e -> {
      unit().log().warn("Rollback: rollback-stop failed: " + e.getMessage());
      return null;
    });
  }
}
