package io.hostmesh.units.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.config.ConfigError;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.DevelopmentMode;
import io.hostmesh.schema.config.Projections.CountryConfig;
import io.hostmesh.schema.config.Projections.DevelopmentModeConfig;
import io.hostmesh.schema.config.Projections.DnsConfig;
import io.hostmesh.schema.config.Projections.HostnameConfig;
import io.hostmesh.schema.config.Projections.RootCaConfig;
import io.hostmesh.schema.host.CommandRecorded;
import io.hostmesh.schema.host.HostTopics;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.testing.SimDevice;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The config units fed their projections directly (the values config-watcher's schema would stop first). */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConfigUnitsTest {
  private SimDevice device(Vertx vertx) {
    return SimDevice.builder(vertx).virtualTime().unit(Hostname::new).unit(DnsServers::new).unit(WifiCountry::new)
        .unit(RootCa::new).unit(DevelopmentFeatures::new)
        .external(ConfigTopics.HOSTNAME, ConfigTopics.DNS, ConfigTopics.COUNTRY, ConfigTopics.ROOT_CA, ConfigTopics.DEVELOPMENT)
        .build();
  }

  private static void publishDefaults(SimDevice dev) {
    dev.bus().publish(ConfigTopics.HOSTNAME, new HostnameConfig(null, "abcdef0123"));
    dev.bus().publish(ConfigTopics.DNS, new DnsConfig(null));
    dev.bus().publish(ConfigTopics.COUNTRY, new CountryConfig(null));
    dev.bus().publish(ConfigTopics.ROOT_CA, new RootCaConfig(null));
    dev.bus().publish(ConfigTopics.DEVELOPMENT, new DevelopmentModeConfig(false, false));
  }

  @Test
  void hostileValuesFailOnlyTheirUnitAndWriteNothing(Vertx vertx) throws Exception {
    try (SimDevice dev = device(vertx)) {
      List<ConfigError> errors = new CopyOnWriteArrayList<>();
      List<List<String>> commands = new CopyOnWriteArrayList<>();
      dev.bus().subscribe(ConfigTopics.CONFIG_ERROR, errors::add).completion().await();
      dev.bus().subscribe(HostTopics.COMMAND_RECORDED, (CommandRecorded c) -> commands.add(c.argv())).completion().await();
      publishDefaults(dev);
      dev.start().await();
      dev.mesh().whenSettled().await();
      assertEquals("abcdef0\n", dev.readFile("/etc/hostname"));
      assertEquals("\nserver=8.8.8.8\n", dev.readFile("/run/dnsmasq.servers"));

      dev.bus().publish(ConfigTopics.HOSTNAME, new HostnameConfig(null, "a;reboot"));
      assertTrue(dev.awaitUnit("hostname", UnitState.FAILED).await().detail().startsWith("/uuid: not an RFC 1123"));
      dev.bus().publish(ConfigTopics.DNS, new DnsConfig("1.1.1.1 1.1.1.1.1"));
      assertTrue(dev.awaitUnit("dns", UnitState.FAILED).await().detail().contains("not an IP address"));
      dev.bus().publish(ConfigTopics.COUNTRY, new CountryConfig("XX;reboot"));
      assertTrue(dev.awaitUnit("country", UnitState.FAILED).await().detail().contains("ISO 3166"));
      dev.bus().publish(ConfigTopics.ROOT_CA, new RootCaConfig("bm90IGEgY2VydA=="));
      assertTrue(dev.awaitUnit("root-ca", UnitState.FAILED).await().detail().contains("X.509"));
      assertEquals("abcdef0\n", dev.readFile("/etc/hostname"));
      assertEquals("\nserver=8.8.8.8\n", dev.readFile("/run/dnsmasq.servers"));
      assertFalse(Files.exists(dev.path(RootCa.FILE)));
      assertEquals(UnitState.ACTIVE, dev.mesh().unit("development-features").orElseThrow().state());
      assertEquals(List.of("/uuid", "/dnsServers", "/country", "/balenaRootCA"), errors.stream().map(ConfigError::path).toList());
      assertFalse(commands.stream().anyMatch(c -> String.join(" ", c).contains("reboot")), commands.toString());

      // fixed values heal the units at their next start (RestartSec 10 s)
      dev.bus().publish(ConfigTopics.HOSTNAME, new HostnameConfig("fixed", null));
      dev.bus().publish(ConfigTopics.DNS, new DnsConfig("1.1.1.1 ::1"));
      dev.bus().publish(ConfigTopics.COUNTRY, new CountryConfig("DE"));
      dev.bus().publish(ConfigTopics.ROOT_CA, new RootCaConfig(null));
      dev.time().advanceBy(java.time.Duration.ofSeconds(10)).await();
      for (String u : List.of("hostname", "dns", "country", "root-ca")) {
        dev.awaitUnit(u, UnitState.ACTIVE).await();
      }
      assertEquals("fixed\n", dev.readFile("/etc/hostname"));
      assertEquals("\nserver=1.1.1.1\nserver=::1\n", dev.readFile("/run/dnsmasq.servers"));
      assertTrue(commands.contains(List.of("iw", "reg", "set", "DE")));
      dev.stop().await();
    }
  }

  @Test
  void rootCaIsInstalledAndRemovedWithTheKey(Vertx vertx, @TempDir Path tmp) throws Exception {
    Path key = tmp.resolve("k.pem");
    Path crt = tmp.resolve("c.pem");
    Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=hostmesh-test",
        "-days", "2", "-keyout", key.toString(), "-out", crt.toString()).redirectErrorStream(true).start();
    Assumptions.assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl cannot make a test certificate");
    String pem = Files.readString(crt);
    try (SimDevice dev = device(vertx)) {
      publishDefaults(dev);
      dev.bus().publish(ConfigTopics.ROOT_CA, new RootCaConfig(Base64.getEncoder().encodeToString(pem.getBytes())));
      dev.bus().publish(ConfigTopics.DEVELOPMENT, new DevelopmentModeConfig(true, true));
      dev.start().await();
      dev.mesh().whenSettled().await();
      assertEquals(pem, dev.readFile(RootCa.FILE));
      assertEquals(new DevelopmentMode(true, true), dev.bus().latest(ConfigTopics.DEVELOPMENT_MODE).orElseThrow());
      assertTrue(dev.readFile(DevelopmentFeatures.FLAG_FILE).contains("PasswordAuthentication=no"));
      dev.bus().publish(ConfigTopics.ROOT_CA, new RootCaConfig(null));
      dev.bus().publish(ConfigTopics.DEVELOPMENT, new DevelopmentModeConfig(false, true));
      dev.awaitLog("root-ca", "removed the installed CA").await();
      dev.awaitLog("development-features", "Entering production mode").await();
      assertFalse(Files.exists(dev.path(RootCa.FILE)));
      assertFalse(Files.exists(dev.path(DevelopmentFeatures.FLAG_FILE)));
      dev.stop().await();
    }
  }
}
