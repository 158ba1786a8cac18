package io.hostmesh.mesh;

import io.hostmesh.platform.Scheduler;
import io.hostmesh.platform.Timer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The units' deployments and undeployments not yet ended: a mesh's stop waits for them, so no unit
 * outlives its mesh, but at most a grace, so a unit still starting (a oneshot that retries for
 * ever) cannot hold the stop. One that lands later is undeployed then, by its supervisor.
 *
 * <p>Threading: the mesh context.
 */
final class InFlight {
  private final Context context;
  private final List<Future<Void>> pending = new ArrayList<>();

  InFlight(Context context) {
    this.context = context;
  }

  /** Keeps {@code f} until it ends, however it ends. */
  void track(Future<?> f) {
    Future<Void> v = f.<Void>mapEmpty().otherwiseEmpty();
    pending.add(v);
    v.onComplete(x -> context.runOnContext(y -> pending.remove(v)));
  }

  /** Completes once every one in flight now has ended, or when {@code grace} has passed on {@code time}. */
  Future<Void> landed(Scheduler time, Duration grace) {
    if (pending.isEmpty()) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    Timer timer = time.schedule(grace.isZero() || grace.isNegative() ? Duration.ofMillis(1) : grace, p::tryComplete);
    Future.join(new ArrayList<>(pending)).onComplete(x -> {
      timer.cancel();
      p.tryComplete();
    });
    return p.future();
  }
}
