package io.hostmesh.hostos;

import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import java.io.IOException;

/** An integrator's application unit that fails on one OS version: its health decides whether that release commits. */
public final class AppUnit extends UnitVerticle {
  static final String BAD_ON = "2.89.0";

  @Override
  public UnitDescriptor descriptor() {
    return UnitDescriptor.named("app").description("test application").oneshot().build();
  }

  @Override
  public Future<?> start() {
    try {
      String v = unit().files().read(SimOs.OS_RELEASE).map(t -> OsRelease.parse(t).effectiveVersion()).orElse("");
      return v.equals(BAD_ON) ? Future.failedFuture("cannot run on balenaOS " + v) : Future.succeededFuture();
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
  }
}
