package io.hostmesh.schema.chrony;

import java.util.List;

/**
 * NTP servers a DHCP lease gave an interface, as NetworkManager hands them to its dispatcher
 * scripts ({@code 98dhcp_ntp}: {@code $1} interface, {@code $2} action, {@code DHCP4_NTP_SERVERS}).
 *
 * @param iface the interface name ({@code eth0}); validated by the receiver
 * @param action the dispatcher action: {@code up}, {@code dhcp4-change}, {@code down}; others are ignored
 * @param servers the servers (host names or IP addresses); empty when the lease has none
 */
public record DhcpNtpServers(String iface, String action, List<String> servers) {
  public DhcpNtpServers {
    servers = servers == null ? List.of() : List.copyOf(servers);
  }
}
