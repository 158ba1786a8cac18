package io.hostmesh.schema.chrony;

import io.hostmesh.bus.Facet;
import io.hostmesh.bus.Topic;

/** Topics of chrony-bridge (the chronyd supervisor and its NTP sources). */
public final class ChronyTopics {
  /** The supervised chronyd's state, refreshed at every status poll and health check (latched). */
  public static final Topic<ChronyStatus> STATUS = Topic.status("chrony.status", ChronyStatus.class, Facet.TIME);

  /**
   * DHCP NTP servers of one interface (NetworkManager's {@code 98dhcp_ntp}). A request rather
   * than an event, so the sender (the dispatcher through the HTTP API) learns whether the
   * value was refused; it fails with a message when the interface or a server name is invalid.
   */
  public static final Topic.Request<DhcpNtpServers, DhcpNtpApplied> DHCP_NTP_SERVERS =
      Topic.request("chrony.dhcp-ntp-servers", DhcpNtpServers.class, DhcpNtpApplied.class);

  private ChronyTopics() {}
}
