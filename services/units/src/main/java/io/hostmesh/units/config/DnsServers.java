package io.hostmesh.units.config;

import io.hostmesh.unit.support.ProjectionUnit;
import io.hostmesh.unit.support.RefusedValue;

import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.Projections.DnsConfig;
import io.vertx.core.Future;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The DNS half of balena-net-config (spec/units.md §7, config-json.md "dnsServers"):
 * {@code /run/dnsmasq.servers} is a newline, then one {@code server=<w>} line per word:
 * absent/null/false → 8.8.8.8; {@code "null"} or {@code ""} → no servers; else each word,
 * which must be an IP literal. dnsmasq is restarted after a change, as its own watcher did.
 * The country (iw) is a separate unit, so a bad country no longer stops DNS setup.
 */
public final class DnsServers extends ProjectionUnit<DnsConfig> {
  static final String FILE = "/run/dnsmasq.servers";
  static final String DEFAULT_SERVER = "8.8.8.8";
  private static final Pattern IPV4 = Pattern.compile(
      "((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

  /** The server words for a {@code dnsServers} value, by the spec's three-way table. */
  static List<String> servers(String dnsServers) throws RefusedValue {
    if (dnsServers == null) {
      return List.of(DEFAULT_SERVER);
    }
    if (dnsServers.equals("null") || dnsServers.isBlank()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String w : dnsServers.trim().split("[ \\t]+")) {
      if (!ipLiteral(w)) {
        throw new RefusedValue("/dnsServers", "not an IP address: \"" + Hostname.printable(w) + "\"");
      }
      out.add(w);
    }
    return out;
  }

  static boolean ipLiteral(String w) {
    if (IPV4.matcher(w).matches()) {
      return true;
    }
    if (!w.contains(":") || !IPV6_CHARS.matcher(w).matches()) {
      return false;
    }
    try {
      InetAddress.getByName(w); // a literal with ':' is parsed, never looked up
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  public DnsServers() {
    super("dns", ConfigTopics.DNS,
        b -> b.description("dnsmasq upstream servers from config.json (balena-net-config)"));
  }

  @Override
  protected Future<Void> apply(DnsConfig c) throws Exception {
    StringBuilder content = new StringBuilder("\n"); // always begins with a newline, as the original
    for (String s : servers(c.dnsServers())) {
      content.append("server=").append(s).append('\n');
    }
    return unit().files().writeIfChanged(FILE, content.toString(), null)
        .compose(changed -> changed ? restartDnsmasq(content.toString()) : Future.succeededFuture());
  }

  private Future<Void> restartDnsmasq(String content) {
    unit().log().info("DNS servers: " + (content.length() == 1 ? "none" : content.toString().strip().replace('\n', ' ')));
    return unit().processes().run(List.of("systemctl", "try-restart", "dnsmasq.service"), Duration.ofSeconds(30))
        .map(r -> {
          if (!r.ok()) {
            unit().log().warn("systemctl try-restart dnsmasq.service failed: " + r.stderr().strip());
          }
          return null;
        });
  }
}
