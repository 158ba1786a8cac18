package io.hostmesh.testing;

import io.hostmesh.unit.UnitContext;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import java.util.function.Function;

/**
 * A unit for tests: a descriptor and a start behaviour given as a lambda over the unit's context,
 * so a test states a unit in one line ({@code ScriptedUnit.ok(descriptor)},
 * {@code new ScriptedUnit(descriptor, u -> ...)}).
 */
public class ScriptedUnit extends UnitVerticle {
  private final UnitDescriptor descriptor;
  private final Function<UnitContext, Future<?>> body;

  public ScriptedUnit(UnitDescriptor descriptor, Function<UnitContext, Future<?>> body) {
    this.descriptor = descriptor;
    this.body = body;
  }

  /** Starts and is up at once. */
  public static ScriptedUnit ok(UnitDescriptor d) {
    return new ScriptedUnit(d, u -> Future.succeededFuture());
  }

  /** Fails to start with {@code why}. */
  public static ScriptedUnit failing(UnitDescriptor d, String why) {
    return new ScriptedUnit(d, u -> Future.failedFuture(why));
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
