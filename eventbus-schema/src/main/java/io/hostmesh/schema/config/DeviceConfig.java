package io.hostmesh.schema.config;

import java.util.List;
import java.util.Map;

/**
 * The validated content of {@code config.json}: the keys the host units read (spec/config-json.md),
 * plus the whole document so unknown keys are kept. A {@code null} field means the key is absent,
 * {@code null} or {@code false} in the file (the original's jq {@code //} rule), unless noted.
 *
 * @param hostname {@code hostname}
 * @param uuid {@code uuid}
 * @param apiEndpoint {@code apiEndpoint}
 * @param deviceApiKey {@code deviceApiKey}
 * @param developmentMode {@code developmentMode} is {@code true} or {@code "true"}
 * @param sshKeys {@code os.sshKeys}; {@code null} when absent
 * @param udevRules {@code os.udevRules}, name → rule, sorted; {@code null} when absent
 * @param connectivityUri {@code os.network.connectivity.uri} as written
 * @param connectivityInterval {@code os.network.connectivity.interval} as text
 * @param connectivityResponse {@code os.network.connectivity.response}
 * @param randomMacAddressScan {@code os.network.wifi.randomMacAddressScan}
 * @param ntpServers {@code ntpServers}, space separated, as written
 * @param dnsServers {@code dnsServers} as written ({@code null} for absent/null/false)
 * @param country {@code country}
 * @param balenaRootCA {@code balenaRootCA} (base64 PEM)
 * @param persistentLogging {@code persistentLogging} is {@code true} or {@code "true"}
 * @param document the whole document, unknown keys included
 */
public record DeviceConfig(
    String hostname,
    String uuid,
    String apiEndpoint,
    String deviceApiKey,
    boolean developmentMode,
    List<String> sshKeys,
    Map<String, String> udevRules,
    String connectivityUri,
    String connectivityInterval,
    String connectivityResponse,
    Boolean randomMacAddressScan,
    String ntpServers,
    String dnsServers,
    String country,
    String balenaRootCA,
    boolean persistentLogging,
    Map<String, Object> document) {

  /** An empty configuration (no keys). */
  public static DeviceConfig empty() {
    return new DeviceConfig(null, null, null, null, false, null, null, null, null, null, null, null,
        null, null, null, false, Map.of());
  }
}
