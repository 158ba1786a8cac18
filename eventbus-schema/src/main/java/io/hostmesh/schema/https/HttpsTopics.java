package io.hostmesh.schema.https;

import io.hostmesh.bus.Facet;
import io.hostmesh.bus.Topic;
import io.hostmesh.schema.targets.NetworkState;

/**
 * Topics of HTTPS time sync and of the simulated network it waits for.
 *
 * <p>Metrics: count {@link #ATTEMPT} events by result (or read
 * {@link HttpsSyncStatus#attemptsByResult()} of the latched {@link #STATUS}).
 */
public final class HttpsTopics {
  /** Latched by timesync-https after every attempt and when it ends. */
  public static final Topic<HttpsSyncStatus> STATUS = Topic.status("https.status", HttpsSyncStatus.class, Facet.TIME);
  /** One event per request made. */
  public static final Topic<HttpsSyncAttempt> ATTEMPT = Topic.event("https.attempt", HttpsSyncAttempt.class);
  /**
   * Sim only: set the network down or up ({@code POST /v1/sim/network}); served by the
   * {@code network} unit, which answers with the state it latched on {@code Targets.NETWORK}.
   */
  public static final Topic.Request<SimNetworkChange, NetworkState> SET_SIM_NETWORK =
      Topic.request("network.sim.set", SimNetworkChange.class, NetworkState.class);

  /**
   * Sim only: the device's firewall, as {@code iptables} over SSH left it (latched by the API's
   * shell routes; absent until a rule is added). timesync-https times out while HTTPS is blocked.
   */
  public static final Topic<SimFirewall> SIM_FIREWALL = Topic.state("network.sim.firewall", SimFirewall.class);

  private HttpsTopics() {}
}
