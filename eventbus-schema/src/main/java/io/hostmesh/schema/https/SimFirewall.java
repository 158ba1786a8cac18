package io.hostmesh.schema.https;

import java.util.List;

/**
 * The firewall of a simulated device: the {@code iptables} rules a test engineer added over SSH
 * (the balenaOS suite takes NTP away with {@code iptables -A OUTPUT -p udp --dport 123 -j DROP}).
 * Latched by the API's shell routes; chronyd's sources are taken offline while NTP is blocked, and
 * timesync-https's requests time out while HTTPS is.
 *
 * @param rules the rules in {@code iptables -S} form ({@code -A OUTPUT -p udp -m udp --dport 123 -j DROP})
 * @param ntpBlocked a rule drops the device's NTP traffic (udp port 123: every NTP source of the sim)
 * @param httpsBlocked a rule drops the device's HTTPS traffic (tcp port 443: every HTTPS endpoint of the sim)
 */
public record SimFirewall(List<String> rules, boolean ntpBlocked, boolean httpsBlocked) {
  public SimFirewall {
    rules = List.copyOf(rules);
  }

  /** No rule: everything passes. */
  public static final SimFirewall OPEN = new SimFirewall(List.of(), false, false);
}
