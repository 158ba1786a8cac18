package io.hostmesh.deploy.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * hostmesh's NetworkManager paths against a real NetworkManager (Debian's, in a
 * {@link BootedSystemd} with loopback only): {@code nm-online -s -q} holds the {@code network}
 * unit's target until NetworkManager has started; NetworkManager reads the fragment
 * {@code networkmanager-config} writes ({@code NetworkManager --print-config}, and the running
 * daemon's {@code ConnectivityCheckUri} on D-Bus); and {@code nmcli general reload conf} makes a
 * changed fragment take effect in the same NetworkManager process.
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkManagerIT {
  static final String API = HostmeshDevice.API;
  static final String FRAGMENT = "/etc/NetworkManager/conf.d/os-networkmanager.conf";
  static final String URI = "https://127.0.0.1:8443/connectivity-check";
  static final Duration LIMIT = Duration.ofSeconds(60);

  static BootedSystemd ct;
  static JsonObject config;

  @BeforeAll
  static void boot() throws Exception {
    BootedSystemd.assumeBootable();
    HostmeshDevice.requireJar();
    Path work = Path.of("target/systemd-it/nm-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
    ct = BootedSystemd.boot(work, List.of(HostmeshDevice.stage(work.resolve("src"), List.of())));
    config = new JsonObject().put("uuid", "fedcba9876543210fedcba9876543210").put("developmentMode", false)
        .put("os", new JsonObject().put("network", new JsonObject()
            .put("connectivity", new JsonObject().put("uri", URI).put("interval", "600").put("response", "hostmesh-ok"))
            .put("wifi", new JsonObject().put("randomMacAddressScan", true))));
    String built = ct.sh("date -u -d '-30 days' +%Y%m%d%H%M%S").strip();
    HostmeshDevice.prepare(ct, config, built, new JsonObject()
        .put("units", new JsonObject().put("os-udevrules", new JsonObject().put("settleSeconds", 0))));
  }

  @AfterAll
  static void powerOff() {
    if (ct != null) {
      ct.close();
    }
  }

  @Test
  @Order(1)
  void nmOnlineHoldsTheNetworkTargetUntilNetworkManagerHasStarted() throws Exception {
    ct.sh("systemctl stop NetworkManager");
    ct.sh(HostmeshDevice.install(ct));
    ct.await("curl -s " + API + "/v1/units/network || true", s -> s.contains("\"ACTIVE\""), LIMIT, "the network unit runs");
    // nm-online -s waits for NetworkManager (30 s at most, then the unit asks again every 5 s)
    JsonObject state = new JsonObject(ct.sh("curl -sf " + API + "/v1/state"));
    assertFalse(state.containsKey("target.network"), "network target without NetworkManager: " + state.getValue("target.network"));
    JsonObject https = new JsonObject(ct.sh("curl -sf " + API + "/v1/units/timesync-https"));
    assertTrue(https.getString("detail").contains("network"), https.encode());
    // the fragment is written all the same; its reload says why it failed
    ct.await("journalctl -u hostmesh --no-pager -o cat", s -> s.contains("[networkmanager-config][WARN] nmcli general reload conf failed"),
        LIMIT, "the failed reload is reported");

    ct.sh("systemctl start NetworkManager");
    String latched = ct.await("curl -sf " + API + "/v1/state || true", s -> s.contains("\"target.network\""), LIMIT,
        "network target once NetworkManager has started");
    JsonObject network = new JsonObject(latched).getJsonObject("target.network");
    assertTrue(network.getBoolean("online"), network.encode());
    assertEquals("nm-online", network.getString("reason"), network.encode());
    assertTrue(ct.sh("nm-online -s -q -t 5 && echo started").contains("started"));
  }

  @Test
  @Order(2)
  void networkManagerReadsTheFragment() throws Exception {
    String fragment = ct.sh("cat " + FRAGMENT);
    assertTrue(fragment.contains("uri=" + URI), fragment);
    String printed = ct.sh("NetworkManager --print-config");
    assertTrue(printed.contains("os-networkmanager.conf"), "NetworkManager did not read " + FRAGMENT + ":\n" + printed);
    assertTrue(section(printed, "connectivity").containsAll(List.of("uri=" + URI, "interval=600", "response=hostmesh-ok")), printed);
    assertTrue(section(printed, "device").contains("wifi.scan-rand-mac-address=yes"), printed);
    // the running daemon, started after the fragment was written
    assertEquals(URI, connectivityUri());
  }

  @Test
  @Order(3)
  void reloadAppliesAChangedFragmentWithoutRestartingNetworkManager() throws Exception {
    String pid = ct.property("NetworkManager", "MainPID");
    String restarts = ct.property("NetworkManager", "NRestarts");
    long failedReloads = reloadFailures();
    String uri = "https://127.0.0.1:8443/changed";
    config.getJsonObject("os").getJsonObject("network").getJsonObject("connectivity").put("uri", uri).put("interval", "300");
    config.getJsonObject("os").getJsonObject("network").getJsonObject("wifi").put("randomMacAddressScan", false);
    HostmeshDevice.write(ct, "/mnt/boot/config.json", config.encodePrettily());
    ct.await("busctl get-property org.freedesktop.NetworkManager /org/freedesktop/NetworkManager"
        + " org.freedesktop.NetworkManager ConnectivityCheckUri", s -> s.contains(uri), LIMIT, "NetworkManager uses the new URI");
    assertEquals(pid, ct.property("NetworkManager", "MainPID"), "NetworkManager was restarted");
    assertEquals(restarts, ct.property("NetworkManager", "NRestarts"));
    String printed = ct.sh("NetworkManager --print-config");
    assertTrue(section(printed, "connectivity").contains("interval=300"), printed);
    assertTrue(section(printed, "device").contains("wifi.scan-rand-mac-address=no"), printed);
    String journal = ct.sh("journalctl -u hostmesh --no-pager -o cat");
    assertTrue(journal.contains("[networkmanager-config][INFO] Wrote " + FRAGMENT), journal);
    String nm = ct.sh("journalctl -u NetworkManager --no-pager -o cat");
    assertTrue(nm.matches("(?s).*config: signal: [^\\n]*connectivity.*"), "NetworkManager's reload:\n" + nm);

    // "null": no [connectivity] at all, and the running NetworkManager stops checking
    config.getJsonObject("os").getJsonObject("network").getJsonObject("connectivity").put("uri", "null");
    HostmeshDevice.write(ct, "/mnt/boot/config.json", config.encodePrettily());
    ct.await("busctl get-property org.freedesktop.NetworkManager /org/freedesktop/NetworkManager"
        + " org.freedesktop.NetworkManager ConnectivityCheckUri", s -> s.strip().equals("s \"\""), LIMIT, "no connectivity URI");
    assertFalse(ct.sh("cat " + FRAGMENT).contains("[connectivity]"));
    assertEquals(pid, ct.property("NetworkManager", "MainPID"));
    assertEquals(failedReloads, reloadFailures(), "nmcli general reload conf failed with NetworkManager running");
  }

  static long reloadFailures() throws Exception {
    return ct.sh("journalctl -u hostmesh --no-pager -o cat").lines().filter(l -> l.contains("nmcli general reload conf failed")).count();
  }

  /** The lines of one {@code [name]} section of a NetworkManager configuration dump. */
  static List<String> section(String config, String name) {
    List<String> out = new java.util.ArrayList<>();
    boolean in = false;
    for (String line : config.split("\n")) {
      String l = line.strip();
      if (l.startsWith("[")) {
        in = l.equals("[" + name + "]");
      } else if (in && !l.isEmpty() && !l.startsWith("#")) {
        out.add(l);
      }
    }
    return out;
  }

  static String connectivityUri() throws Exception {
    String s = ct.sh("busctl get-property org.freedesktop.NetworkManager /org/freedesktop/NetworkManager"
        + " org.freedesktop.NetworkManager ConnectivityCheckUri").strip();
    assertTrue(s.startsWith("s \"") && s.endsWith("\""), s);
    return s.substring(3, s.length() - 1);
  }
}
