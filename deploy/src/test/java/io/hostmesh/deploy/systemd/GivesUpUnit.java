package io.hostmesh.deploy.systemd;

import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;

/**
 * A plugin unit (Restart=no) that fails every start: put into the plugins folder of a device
 * ({@link PluginJar}), it makes the mesh unhealthy once {@code watchdog.grace-ms} has passed.
 * Not registered in this module's META-INF/services, so no other test finds it.
 */
public final class GivesUpUnit extends UnitVerticle {
  static final String NAME = "gives-up";

  @Override
  public UnitDescriptor descriptor() {
    return UnitDescriptor.named(NAME).description("hostmesh test plugin: fails every start").service().build();
  }

  @Override
  public Future<?> start() {
    return Future.failedFuture("gives up on purpose (hostmesh test plugin)");
  }
}
