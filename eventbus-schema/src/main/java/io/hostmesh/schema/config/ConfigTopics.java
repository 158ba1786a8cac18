package io.hostmesh.schema.config;

import io.hostmesh.bus.Facet;
import io.hostmesh.bus.Topic;
import io.hostmesh.schema.config.Projections.ConnectivityConfig;
import io.hostmesh.schema.config.Projections.CountryConfig;
import io.hostmesh.schema.config.Projections.DevelopmentModeConfig;
import io.hostmesh.schema.config.Projections.DnsConfig;
import io.hostmesh.schema.config.Projections.HostnameConfig;
import io.hostmesh.schema.config.Projections.NetworkManagerConfig;
import io.hostmesh.schema.config.Projections.NtpConfig;
import io.hostmesh.schema.config.Projections.PersistentLoggingConfig;
import io.hostmesh.schema.config.Projections.RootCaConfig;
import io.hostmesh.schema.config.Projections.SshKeysConfig;
import io.hostmesh.schema.config.Projections.UdevRulesConfig;
import java.util.List;
import java.util.function.Function;

/** config.json on the bus: the whole config, its errors, and one projection per unit. */
public final class ConfigTopics {
  /** The config in force (latched): config.json with each refused key at its last good value, or left out before it had one. Published by config-watcher. */
  public static final Topic<DeviceConfig> CONFIG = Topic.state("config", DeviceConfig.class);
  /** A refused config.json or a refused value. */
  public static final Topic<ConfigError> CONFIG_ERROR = Topic.event("config.error", ConfigError.class);
  /** How config.json fared the last time config-watcher looked at it (latched; errors are counted here). */
  public static final Topic<ConfigStatus> STATUS = Topic.status("config.status", ConfigStatus.class);
  /** Latched by development-features. */
  public static final Topic<DevelopmentMode> DEVELOPMENT_MODE =
      Topic.state("config.development-mode", DevelopmentMode.class);

  public static final Topic<HostnameConfig> HOSTNAME = projection("hostname", HostnameConfig.class);
  public static final Topic<DnsConfig> DNS = projection("dns", DnsConfig.class);
  public static final Topic<NetworkManagerConfig> NETWORK_MANAGER =
      projection("networkmanager", NetworkManagerConfig.class);
  public static final Topic<ConnectivityConfig> CONNECTIVITY = projection("connectivity", ConnectivityConfig.class);
  public static final Topic<NtpConfig> NTP = projection("ntp", NtpConfig.class);
  public static final Topic<SshKeysConfig> SSH_KEYS = projection("ssh-keys", SshKeysConfig.class);
  public static final Topic<DevelopmentModeConfig> DEVELOPMENT =
      projection("development", DevelopmentModeConfig.class);
  public static final Topic<UdevRulesConfig> UDEV_RULES = projection("udev-rules", UdevRulesConfig.class);
  public static final Topic<RootCaConfig> ROOT_CA = projection("root-ca", RootCaConfig.class);
  public static final Topic<CountryConfig> COUNTRY = projection("country", CountryConfig.class);
  public static final Topic<PersistentLoggingConfig> PERSISTENT_LOGGING =
      projection("persistent-logging", PersistentLoggingConfig.class);

  /**
   * A projection: its topic, the config.json keys it reads (JSON pointers), and how it is cut
   * from the config. {@link #reads} is the one table that says which keys a unit depends on: a
   * refused key holds back exactly the projections that read it ({@link #heldBack}).
   */
  public record Projection<T>(Topic<T> topic, List<String> reads, Function<DeviceConfig, T> extract) {
    public Projection {
      reads = List.copyOf(reads);
    }

    /** The projection's short name ({@code ntp} for {@code config.unit.ntp}). */
    public String name() {
      return topic.address().substring(PREFIX.length());
    }

    /** Publishes the projection of {@code config} on {@code publisher}. */
    public void publish(DeviceConfig config, java.util.function.BiConsumer<Topic<T>, T> publisher) {
      publisher.accept(topic, extract.apply(config));
    }

    /**
     * True when a violation at {@code pointer} touches a key this projection reads: the key
     * itself, something inside it ({@code /os/sshKeys/1}), or an object holding it ({@code /os}
     * that is not an object; {@code ""}, the whole document).
     */
    public boolean readsAt(String pointer) {
      for (String key : reads) {
        if (ConfigSchema.within(pointer, key) || ConfigSchema.within(key, pointer) || pointer.isEmpty()) {
          return true;
        }
      }
      return false;
    }
  }

  private static final String PREFIX = "config.unit.";

  /** Every projection with the keys it reads (spec/config-json.md, runtime reconfiguration map); the watcher publishes each one whose value changed. */
  public static final List<Projection<?>> PROJECTIONS = List.of(
      new Projection<>(HOSTNAME, List.of("/hostname", "/uuid"), c -> new HostnameConfig(c.hostname(), c.uuid())),
      new Projection<>(DNS, List.of("/dnsServers"), c -> new DnsConfig(c.dnsServers())),
      new Projection<>(NETWORK_MANAGER, List.of("/os/network/connectivity/uri", "/os/network/connectivity/interval",
          "/os/network/connectivity/response", "/os/network/wifi/randomMacAddressScan", "/apiEndpoint"),
          c -> new NetworkManagerConfig(c.connectivityUri(), c.connectivityInterval(), c.connectivityResponse(),
              c.randomMacAddressScan(), c.apiEndpoint())),
      new Projection<>(CONNECTIVITY, List.of("/os/network/connectivity/uri", "/apiEndpoint", "/balenaRootCA"),
          c -> new ConnectivityConfig(c.connectivityUri(), c.apiEndpoint(), c.balenaRootCA())),
      new Projection<>(NTP, List.of("/ntpServers"), c -> NtpConfig.parse(c.ntpServers())),
      new Projection<>(SSH_KEYS, List.of("/os/sshKeys"), c -> new SshKeysConfig(c.sshKeys())),
      new Projection<>(DEVELOPMENT, List.of("/developmentMode", "/os/sshKeys"),
          c -> new DevelopmentModeConfig(c.developmentMode(), c.sshKeys() != null && !c.sshKeys().isEmpty())),
      new Projection<>(UDEV_RULES, List.of("/os/udevRules"), c -> new UdevRulesConfig(c.udevRules())),
      new Projection<>(ROOT_CA, List.of("/balenaRootCA"), c -> new RootCaConfig(c.balenaRootCA())),
      new Projection<>(COUNTRY, List.of("/country"), c -> new CountryConfig(c.country())),
      new Projection<>(PERSISTENT_LOGGING, List.of("/persistentLogging"),
          c -> new PersistentLoggingConfig(c.persistentLogging())));

  /** The projections that read the key at {@code pointer} (all of them for {@code ""}, the whole document). */
  public static List<Projection<?>> readers(String pointer) {
    return PROJECTIONS.stream().filter(p -> p.readsAt(pointer)).toList();
  }

  /** The projections held back by these violations, in {@link #PROJECTIONS} order. */
  public static List<Projection<?>> heldBack(List<ConfigViolation> violations) {
    return PROJECTIONS.stream().filter(p -> violations.stream().anyMatch(v -> p.readsAt(v.pointer()))).toList();
  }

  private static <T> Topic<T> projection(String name, Class<T> type) {
    return Topic.state(PREFIX + name, type);
  }

  private ConfigTopics() {}
}
