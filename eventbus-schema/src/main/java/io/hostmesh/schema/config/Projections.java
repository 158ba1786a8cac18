package io.hostmesh.schema.config;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The slice of config.json each unit reads (spec/config-json.md, "Runtime reconfiguration map").
 * The watcher publishes a projection only when it changed, so a unit hears only about its own keys.
 * Which keys each projection reads is said once, in {@link ConfigTopics#PROJECTIONS}
 * ({@code Projection.reads}): a refused key holds back exactly those projections.
 */
public final class Projections {
  private Projections() {}

  /** balena-hostname: {@code hostname}, {@code uuid}. */
  public record HostnameConfig(String hostname, String uuid) {}

  /** balena-net-config / dnsmasq: {@code dnsServers} as written. */
  public record DnsConfig(String dnsServers) {}

  /** os-networkmanager: the connectivity check and the WiFi MAC randomisation. */
  public record NetworkManagerConfig(
      String uri, String interval, String response, Boolean randomMacAddressScan, String apiEndpoint) {
    /** The connectivity URI in force, see {@link ConnectivityConfig#effectiveUri()}. */
    public Optional<String> effectiveUri() {
      return ConnectivityConfig.effective(uri, apiEndpoint);
    }
  }

  /** timesync-https: the connectivity URI, its default, and the extra CA to trust. */
  public record ConnectivityConfig(String uri, String apiEndpoint, String balenaRootCA) {
    /**
     * The URI to poll: the configured one; absent/empty → {@code <apiEndpoint>/connectivity-check};
     * the string {@code "null"} or nothing to default to → empty (sync skipped).
     */
    public Optional<String> effectiveUri() {
      return effective(uri, apiEndpoint);
    }

    static Optional<String> effective(String uri, String apiEndpoint) {
      if (uri == null || uri.isEmpty()) {
        return apiEndpoint == null || apiEndpoint.isEmpty() || apiEndpoint.equals("null")
            ? Optional.empty()
            : Optional.of(apiEndpoint + "/connectivity-check");
      }
      return uri.equals("null") ? Optional.empty() : Optional.of(uri);
    }
  }

  /** balena-ntp-config / chronyd: the extra NTP servers, one name per entry; empty when none. */
  public record NtpConfig(List<String> servers) {
    public static NtpConfig parse(String ntpServers) {
      if (ntpServers == null || ntpServers.isBlank()) {
        return new NtpConfig(List.of());
      }
      return new NtpConfig(List.copyOf(Arrays.asList(ntpServers.trim().split("[ \\t]+"))));
    }
  }

  /** os-sshkeys: the public keys; {@code null} when the key is absent. */
  public record SshKeysConfig(List<String> keys) {}

  /** development-features: the mode, and whether SSH keys are configured (non-empty list). */
  public record DevelopmentModeConfig(boolean developmentMode, boolean sshKeysConfigured) {}

  /** os-udevrules: rule name → rule text, sorted; empty when absent. */
  public record UdevRulesConfig(Map<String, String> rules) {
    public UdevRulesConfig {
      rules = rules == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(rules));
    }
  }

  /** extract-balena-ca: base64 PEM, {@code null} when absent. */
  public record RootCaConfig(String balenaRootCA) {}

  /** WiFi regulatory domain: ISO 3166 alpha-2, {@code null} when absent. */
  public record CountryConfig(String country) {}

  /** balena-persistent-logs: read at boot only. */
  public record PersistentLoggingConfig(boolean enabled) {}
}
