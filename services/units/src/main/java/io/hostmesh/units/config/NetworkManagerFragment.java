package io.hostmesh.units.config;

import io.hostmesh.unit.support.ProjectionUnit;

import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.Projections.NetworkManagerConfig;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * os-networkmanager (spec/units.md §5): the NetworkManager fragment
 * {@code /etc/NetworkManager/conf.d/os-networkmanager.conf} with {@code [device]}
 * (WiFi MAC randomisation) and {@code [connectivity]} (uri, interval, response), written only
 * when it changed. Unlike the original, {@code "null"} disables the check instead of writing
 * {@code uri=null}, and NetworkManager is asked to re-read its configuration after a change.
 */
public final class NetworkManagerFragment extends ProjectionUnit<NetworkManagerConfig> {
  static final String FILE = "/etc/NetworkManager/conf.d/os-networkmanager.conf";
  static final String HEADER = "# This file is generated based on os.networkManager configuration in config.json.\n";
  /** spec/config-json.md: os.network.connectivity.interval defaults to 3600. */
  static final String DEFAULT_INTERVAL = "3600";

  /** The fragment's text for a projection. */
  static String fragment(NetworkManagerConfig c) {
    StringBuilder b = new StringBuilder(HEADER);
    if (c.randomMacAddressScan() != null) {
      b.append("\n[device]\nwifi.scan-rand-mac-address=").append(c.randomMacAddressScan() ? "yes" : "no").append('\n');
    }
    Optional<String> uri = c.effectiveUri();
    if (uri.isPresent()) {
      b.append("\n[connectivity]\nuri=").append(uri.get())
          .append("\ninterval=").append(c.interval() == null ? DEFAULT_INTERVAL : c.interval())
          .append("\nresponse=").append(c.response() == null ? "" : c.response()).append('\n');
    }
    return b.toString();
  }

  public NetworkManagerFragment() {
    super("networkmanager-config", ConfigTopics.NETWORK_MANAGER,
        b -> b.description("NetworkManager connectivity and WiFi settings from config.json (os-networkmanager)"));
  }

  @Override
  protected Future<Void> apply(NetworkManagerConfig c) throws Exception {
    Optional<String> uri = c.effectiveUri();
    if (uri.isEmpty()) {
      unit().log().info("null".equals(c.uri())
          ? "Connectivity URI is \"null\". Disabling connectivity check."
          : "API_ENDPOINT not defined. Disabling connectivity check.");
    } else if (c.uri() == null || c.uri().isEmpty()) {
      unit().log().info("Connectivity URI not defined. Using default.");
    }
    return unit().files().writeIfChanged(FILE, fragment(c), null)
        .compose(changed -> changed ? reload() : Future.succeededFuture());
  }

  private Future<Void> reload() {
    unit().log().info("Wrote " + FILE);
    return unit().processes().run(List.of("nmcli", "general", "reload", "conf"), Duration.ofSeconds(30)).map(r -> {
      if (!r.ok()) {
        unit().log().warn("nmcli general reload conf failed: " + r.stderr().strip());
      }
      return null;
    });
  }
}
