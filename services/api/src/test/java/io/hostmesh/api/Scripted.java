package io.hostmesh.api;

import io.hostmesh.unit.UnitContext;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import java.util.function.Function;

/** A unit for API tests: a descriptor and a start behaviour given as a lambda. */
class Scripted extends UnitVerticle {
  private final UnitDescriptor descriptor;
  private final Function<UnitContext, Future<?>> body;

  Scripted(UnitDescriptor descriptor, Function<UnitContext, Future<?>> body) {
    this.descriptor = descriptor;
    this.body = body;
  }

  static Scripted ok(UnitDescriptor d) {
    return new Scripted(d, u -> Future.succeededFuture());
  }

  @Override
  public UnitDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public Future<?> start() {
    return body.apply(unit());
  }
}
