package io.hostmesh.deploy.notify;

import io.hostmesh.bus.Topic;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;

/** A long-running test unit (Restart=no) that fails when asked on {@link #FAIL}. */
public final class FailOnRequest extends UnitVerticle {
  /** Why the test wants the unit to fail. */
  public record Reason(String why) {}

  public static final Topic<Reason> FAIL = Topic.event("test.fail-on-request", Reason.class);

  @Override
  public UnitDescriptor descriptor() {
    return UnitDescriptor.named("fail-on-request").description("fails when asked").service().build();
  }

  @Override
  public Future<?> start() {
    return unit().bus().subscribe(FAIL, r -> unit().fail(r.why())).completion();
  }
}
