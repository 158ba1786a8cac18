package io.hostmesh.mesh;

import io.hostmesh.bus.Topic;
import io.hostmesh.schema.targets.Target;
import io.hostmesh.unit.RestartPolicy;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import java.util.function.Function;

/** Small units for mesh tests: a descriptor and a start behaviour given as lambdas. */
final class TestUnits {
  static final Topic<Target> ALPHA = Topic.state("target.alpha", Target.class);
  static final Topic<Target> BETA = Topic.state("target.beta", Target.class);

  private TestUnits() {}

  /** A unit with the given descriptor whose start runs {@code body}. */
  static class Scripted extends UnitVerticle {
    private final UnitDescriptor descriptor;
    private final Function<Scripted, Future<?>> body;

    Scripted(UnitDescriptor descriptor, Function<Scripted, Future<?>> body) {
      this.descriptor = descriptor;
      this.body = body;
    }

    @Override
    public UnitDescriptor descriptor() {
      return descriptor;
    }

    @Override
    public Future<?> start() {
      return body.apply(this);
    }

    io.hostmesh.unit.UnitContext ctx() {
      return unit();
    }
  }

  static Scripted ok(UnitDescriptor d) {
    return new Scripted(d, u -> Future.succeededFuture());
  }

  static Scripted failing(UnitDescriptor d, String why) {
    return new Scripted(d, u -> Future.failedFuture(why));
  }

  static RestartPolicy always(long delaySeconds, int burst, long intervalSeconds) {
    return RestartPolicy.always(java.time.Duration.ofSeconds(delaySeconds))
        .withStartLimit(burst, java.time.Duration.ofSeconds(intervalSeconds));
  }
}
