package io.hostmesh.hostos.units;

import io.hostmesh.hostos.BootEnv;
import io.hostmesh.hostos.RollbackFiles;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.Map;

/**
 * rollback-clear-bootcount.service: nothing at start ({@code /bin/true}); at stop (a reboot or
 * power-off) while the altboot breadcrumb exists, resets grub's {@code bootcount=0} or deletes
 * u-boot's {@code bootcount.env}, so orderly reboots of a new OS on trial do not count towards
 * the fallback: only boots that never reach userspace (and so never stop) do.
 */
public final class RollbackClearBootcount extends UnitVerticle {
  public static final UnitDescriptor DESCRIPTOR = UnitDescriptor.named("rollback-clear-bootcount")
      .description("Clear the boot count at shutdown while an update is on trial")
      .oneshot()
      .after("bootloader")
      .build();

  @Override
  public UnitDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public Future<?> start() {
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    if (!unit().files().exists(RollbackFiles.ALTBOOT_BREADCRUMB)) {
      return Future.succeededFuture();
    }
    unit().log().info("Rollback: Clearing bootcount");
    BootEnv env;
    try {
      env = BootEnv.read(unit().files()::read);
    } catch (IOException e) {
      unit().log().error("Rollback: cannot read the bootloader environment: " + e.getMessage());
      return Future.succeededFuture();
    }
    Future<?> cleared = env.kind() == BootEnv.Kind.GRUB
        ? unit().files().write(env.file(), env.edited(Map.of("bootcount", "0")), null)
        : unit().files().delete(BootEnv.BOOTCOUNT);
    return cleared.onSuccess(v -> unit().log().info("Rollback: Bootcount cleared"))
        .otherwise(e -> {
          unit().log().error("Rollback: clearing the bootcount failed: " + e.getMessage());
          return null;
        });
  }
}
