package com.example.uplink;

import io.hostmesh.bus.Subscription;
import io.hostmesh.bus.Topic;
import io.hostmesh.schema.targets.NetworkState;
import io.hostmesh.schema.targets.Target;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import java.time.Instant;

/**
 * An integrator's unit: a "network service" in boot-order.md's sense, so it starts only after
 * HTTPS time sync has ended (the clock can be trusted) and the network is online, then latches
 * an {@link UplinkReport} on its own topic and follows the network from there.
 *
 * <p>Loaded from the plugins folder as a plain jar: {@code META-INF/services/io.hostmesh.unit.UnitVerticle}
 * names this class. Threading: runs on its event loop, like every unit.
 */
public final class UplinkReporter extends UnitVerticle {
  /** The unit's own topic (latched; bridged as {@code unit.*} so other languages can read it). */
  public static final Topic<UplinkReport> REPORT = Topic.state("unit.uplink-reporter.report", UplinkReport.class);

  private Subscription network;
  private long reports;

  @Override
  public UnitDescriptor descriptor() {
    return UnitDescriptor.named("uplink-reporter")
        .description("Example plugin: reports the uplink once the clock is trusted")
        .service()
        // spec/boot-order.md: network services wait for time-sync-https-wait
        .requires(Targets.TIME_SYNC_HTTPS_WAIT)
        .requires(Targets.NETWORK, NetworkState::online, "network-online")
        .publishes(REPORT)
        .build();
  }

  @Override
  public Future<?> start() {
    Instant trusted = unit().bus().latest(Targets.TIME_SYNC_HTTPS_WAIT).map(Target::wallTime).orElse(null);
    network = unit().bus().subscribe(Targets.NETWORK, n -> report(n, trusted));
    return network.completion().onSuccess(v -> unit().log().info("uplink reporter started"));
  }

  @Override
  public Future<?> stop() {
    return network == null ? Future.succeededFuture() : network.cancel();
  }

  private void report(NetworkState n, Instant trusted) {
    reports++;
    unit().bus().publish(REPORT, new UplinkReport(n.online(), n.reason(), trusted, unit().clock().now(), reports));
  }
}
