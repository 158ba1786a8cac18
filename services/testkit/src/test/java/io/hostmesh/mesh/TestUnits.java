package io.hostmesh.mesh;

import io.hostmesh.testing.ScriptedUnit;

import io.hostmesh.bus.Topic;
import io.hostmesh.schema.targets.Target;
import io.hostmesh.unit.RestartPolicy;
import io.hostmesh.unit.UnitDescriptor;

/** Small units for mesh tests: a descriptor and a start behaviour given as lambdas. */
final class TestUnits {
  static final Topic<Target> ALPHA = Topic.state("target.alpha", Target.class);
  static final Topic<Target> BETA = Topic.state("target.beta", Target.class);

  private TestUnits() {}

  static ScriptedUnit ok(UnitDescriptor d) {
    return ScriptedUnit.ok(d);
  }

  static ScriptedUnit failing(UnitDescriptor d, String why) {
    return ScriptedUnit.failing(d, why);
  }

  static RestartPolicy always(long delaySeconds, int burst, long intervalSeconds) {
    return RestartPolicy.always(java.time.Duration.ofSeconds(delaySeconds))
        .withStartLimit(burst, java.time.Duration.ofSeconds(intervalSeconds));
  }
}
