package io.hostmesh.cli;

import io.hostmesh.unit.UnitContext;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import java.util.function.Function;

/** A unit for CLI tests: a descriptor and a start behaviour given as a lambda. */
class Scripted extends UnitVerticle {
  private final UnitDescriptor descriptor;
  private final Function<UnitContext, Future<?>> body;

  Scripted(UnitDescriptor descriptor, Function<UnitContext, Future<?>> body) {
    this.descriptor = descriptor;
    this.body = body;
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
