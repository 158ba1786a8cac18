package io.hostmesh.schema.targets;

import io.hostmesh.bus.Facet;
import io.hostmesh.bus.Topic;

/**
 * The synchronisation targets of the boot, as in {@code spec/boot-order.md}. All are latched
 * state topics: a unit that requires one starts as soon as it is published, even if it was
 * published before the unit was loaded.
 */
public final class Targets {
  /** time-set.target: build time, fake-hwclock and RTC have set the clock. */
  public static final Topic<Target> TIME_SET = Topic.state("target.time-set", Target.class, Facet.TIME);
  /** time-sync.target: here, NTP (chrony) has selected a source. */
  public static final Topic<Target> TIME_SYNC = Topic.state("target.time-sync", Target.class, Facet.TIME);
  /** time-sync-https-wait.target: HTTPS time sync has ended; "network services" wait for it. */
  public static final Topic<Target> TIME_SYNC_HTTPS_WAIT =
      Topic.state("target.time-sync-https-wait", Target.class, Facet.TIME);
  /** network-online: the device has a network; require it with {@code NetworkState::online}. */
  public static final Topic<NetworkState> NETWORK = Topic.state("target.network", NetworkState.class);

  private Targets() {}
}
