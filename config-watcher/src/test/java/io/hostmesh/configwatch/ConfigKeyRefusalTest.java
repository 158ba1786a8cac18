package io.hostmesh.configwatch;

import static io.hostmesh.configwatch.ConfigRoot.awaitFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hostmesh.schema.config.ConfigDocument;
import io.hostmesh.schema.config.ConfigError;
import io.hostmesh.schema.config.ConfigStatus;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.ConfigTopics.Projection;
import io.hostmesh.schema.config.DeviceConfig;
import io.hostmesh.schema.config.RefusedKey;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.schema.unit.UnitTopics;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.unit.support.ConfigFileEdit;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A bad key stops only its readers: per-key refusal through the real watcher (and the config units). */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConfigKeyRefusalTest {
  /** Every key set, valid. */
  static final String ONE = "{\"hostname\":\"one\",\"uuid\":\"0123456789abcdef\",\"apiEndpoint\":\"https://api.one\","
      + "\"deviceApiKey\":\"k1\",\"developmentMode\":true,\"persistentLogging\":true,\"ntpServers\":\"a.example.com\","
      + "\"dnsServers\":\"1.1.1.1\",\"country\":\"DE\",\"balenaRootCA\":\"QUFB\",\"os\":{\"sshKeys\":[\"ssh-ed25519 AAAA one\"],"
      + "\"udevRules\":{\"r1\":\"KERNEL==\\\"a\\\"\"},\"network\":{\"connectivity\":{\"uri\":\"http://one/check\",\"interval\":\"60\","
      + "\"response\":\"one\"},\"wifi\":{\"randomMacAddressScan\":true}}},\"installer\":{\"secureboot\":true}}";
  /** Every key set to another valid value: every projection differs from ONE's. */
  static final String TWO = "{\"hostname\":\"two\",\"uuid\":\"fedcba9876543210\",\"apiEndpoint\":\"https://api.two\","
      + "\"deviceApiKey\":\"k2\",\"developmentMode\":false,\"persistentLogging\":false,\"ntpServers\":\"b.example.com\","
      + "\"dnsServers\":\"9.9.9.9\",\"country\":\"US\",\"balenaRootCA\":\"QkJC\",\"os\":{\"sshKeys\":[\"ssh-ed25519 AAAA two\"],"
      + "\"udevRules\":{\"r2\":\"KERNEL==\\\"b\\\"\"},\"network\":{\"connectivity\":{\"uri\":\"http://two/check\",\"interval\":120,"
      + "\"response\":\"two\"},\"wifi\":{\"randomMacAddressScan\":false}}},\"installer\":{\"secureboot\":false}}";

  /** One bad value: where it goes, what the violation's pointer is, which projections must keep ONE's value. */
  record Case(String key, String bad, String pointer, List<String> held) {}

  /** Who reads what, written out from spec/config-json.md's reconfiguration map (not derived from the code). */
  static final List<Case> CASES = List.of(
      new Case("/hostname", "\"a;reboot\"", "/hostname", List.of("hostname")),
      new Case("/uuid", "12", "/uuid", List.of("hostname")),
      new Case("/apiEndpoint", "\"https://a b\"", "/apiEndpoint", List.of("networkmanager", "connectivity")),
      new Case("/deviceApiKey", "5", "/deviceApiKey", List.of()),
      new Case("/developmentMode", "1", "/developmentMode", List.of("development")),
      new Case("/persistentLogging", "[]", "/persistentLogging", List.of("persistent-logging")),
      new Case("/ntpServers", "[\"time.example.com\"]", "/ntpServers", List.of("ntp")),
      new Case("/dnsServers", "{}", "/dnsServers", List.of("dns")),
      new Case("/country", "\"XX\"", "/country", List.of("country")),
      new Case("/balenaRootCA", "\"not base64!\"", "/balenaRootCA", List.of("connectivity", "root-ca")),
      new Case("/os/sshKeys", "\"ssh-rsa AAA\"", "/os/sshKeys", List.of("ssh-keys", "development")),
      new Case("/os/sshKeys", "[\"ssh-ed25519 AAAA two\",7]", "/os/sshKeys/1", List.of("ssh-keys", "development")),
      new Case("/os/udevRules", "{\"../x\":\"y\"}", "/os/udevRules/..~1x", List.of("udev-rules")),
      new Case("/os/network/connectivity/uri", "\"http://x y\"", "/os/network/connectivity/uri",
          List.of("networkmanager", "connectivity")),
      new Case("/os/network/connectivity/interval", "\"1h\"", "/os/network/connectivity/interval", List.of("networkmanager")),
      new Case("/os/network/connectivity/response", "\"a\\u0001\"", "/os/network/connectivity/response",
          List.of("networkmanager")),
      new Case("/os/network/wifi/randomMacAddressScan", "\"rue\"", "/os/network/wifi/randomMacAddressScan",
          List.of("networkmanager")),
      new Case("/installer/secureboot", "\"yes\"", "/installer/secureboot", List.of()),
      new Case("/os", "\"x\"", "/os", List.of("networkmanager", "connectivity", "ssh-keys", "development", "udev-rules")));

  private SimDevice dev;

  @AfterEach
  void close() {
    if (dev != null) {
      dev.stop().await();
      dev.close();
    }
  }

  private ConfigStatus write(String json) {
    String digest = ConfigRoot.write(dev, json);
    return dev.await(ConfigTopics.STATUS, s -> s.digest().equals(digest)).await();
  }

  private Map<String, Object> latched() {
    Map<String, Object> out = new HashMap<>();
    for (Projection<?> p : ConfigTopics.PROJECTIONS) {
      out.put(p.name(), dev.bus().latest(p.topic()).orElse(null));
    }
    return out;
  }

  private static Object extract(Projection<?> p, String json) {
    ConfigDocument.Reading r = ConfigDocument.read(json.getBytes(StandardCharsets.UTF_8));
    assertTrue(r.ok(), json + " " + r.violations());
    return p.extract().apply(r.config());
  }

  private static String with(String json, String key, String value) throws Exception {
    ObjectNode doc = (ObjectNode) ConfigDocument.mapper().readTree(json);
    com.fasterxml.jackson.core.JsonPointer p = com.fasterxml.jackson.core.JsonPointer.compile(key);
    JsonNode v = ConfigDocument.mapper().readTree(value);
    ((ObjectNode) doc.at(p.head())).set(p.last().getMatchingProperty(), v);
    return doc.toString();
  }

  @Test
  void eachKeysViolationHoldsBackExactlyItsReaders(Vertx vertx) throws Exception {
    dev = SimDevice.builder(vertx).unit(ConfigWatcher::new)
        .settings(s -> s.put("units", new JsonObject().put(ConfigWatcher.NAME, new JsonObject().put("rescanMillis", 0))))
        .file(ConfigRoot.CONFIG, ONE).build();
    dev.start().await();
    List<ConfigError> events = new CopyOnWriteArrayList<>();
    dev.bus().subscribe(ConfigTopics.CONFIG_ERROR, events::add).completion().await();
    for (Projection<?> p : ConfigTopics.PROJECTIONS) {
      assertTrue(!extract(p, ONE).equals(extract(p, TWO)), "ONE and TWO differ for " + p.name());
    }
    for (Case c : CASES) {
      assertEquals(List.of(), write(ONE).refused(), "ONE is valid");
      Map<String, Object> before = latched();
      ConfigStatus s = write(with(TWO, c.key(), c.bad()));
      assertEquals(List.of(new RefusedKey(c.pointer(), s.refused().get(0).reason(), c.held())), s.refused(), c.toString());
      assertTrue(s.inForce(), c.toString());
      Map<String, Object> after = latched();
      for (Projection<?> p : ConfigTopics.PROJECTIONS) {
        Object expected = c.held().contains(p.name()) ? before.get(p.name()) : extract(p, TWO);
        assertEquals(expected, after.get(p.name()), c + ": projection " + p.name());
      }
      dev.await(UnitTopics.state(ConfigWatcher.NAME), x -> x.detail().startsWith("config.json: 1 key refused: " + c.pointer()))
          .await();
    }
    ConfigRoot.until(vertx, java.time.Duration.ofSeconds(5), "an event per violation", () -> events.size() == CASES.size()).await();
    assertEquals(CASES.stream().map(Case::pointer).toList(), events.stream().map(ConfigError::path).toList());
  }

  @Test
  void everyViolationIsListedNotJustTheFirst(Vertx vertx) throws Exception {
    dev = SimDevice.builder(vertx).unit(ConfigWatcher::new).file(ConfigRoot.CONFIG,
        "{\"hostname\":[],\"ntpServers\":[\"x\"],\"dnsServers\":{},\"country\":\"XX\",\"os\":{\"sshKeys\":\"k\"}}").build();
    dev.start().await();
    ConfigStatus s = dev.await(ConfigTopics.STATUS, x -> x.checks() > 0).await();
    assertEquals(List.of("/hostname", "/ntpServers", "/dnsServers", "/country", "/os/sshKeys"),
        s.refused().stream().map(RefusedKey::pointer).toList());
    assertEquals("/hostname", s.error().path());
    assertTrue(s.inForce(), "the other projections are in force");
    var line = dev.await(UnitTopics.state(ConfigWatcher.NAME), x -> !x.detail().isEmpty()).await().detail();
    assertEquals("config.json: 5 keys refused, first /hostname: must be a string, found an array (holds back hostname)", line);
    // nothing held back was ever latched (first boot); the rest was
    for (Projection<?> p : ConfigTopics.PROJECTIONS) {
      boolean held = List.of("hostname", "ntp", "dns", "country", "ssh-keys", "development").contains(p.name());
      assertEquals(!held, dev.bus().latest(p.topic()).isPresent(), p.name());
    }
  }

  @Test
  void onFirstBootAUnitWaitsWithTheReasonThenAppliesTheRepairAndKeepsItsLastGoodValue(Vertx vertx) throws Exception {
    String base = ConfigWatcherTest.BASE;
    dev = ConfigRoot.device(vertx).file(ConfigRoot.CONFIG, base.replace("\"uuid\"", "\"hostname\":\"a;reboot\",\"uuid\"")).build();
    dev.start().await();
    var waiting = dev.await(UnitTopics.state("hostname"), c -> c.state() == UnitState.WAITING && c.detail().contains("refused"))
        .await();
    assertEquals("waiting for config (/hostname refused: must be an RFC 1123 host name (letters, digits, inner hyphens,"
        + " dots), found \"a;reboot\")", waiting.detail());
    // everything else is applied
    awaitFile(dev, "/run/dnsmasq.servers", "\nserver=8.8.8.8\n");
    awaitFile(dev, "/etc/NetworkManager/conf.d/os-networkmanager.conf", "# This file is generated based on"
        + " os.networkManager configuration in config.json.\n\n[connectivity]\nuri=https://api.example.com/connectivity-check\n"
        + "interval=3600\nresponse=\n");
    dev.awaitUnit("development-features", UnitState.ACTIVE).await();

    ConfigFileEdit.Result r = ConfigFileEdit.set(dev.mesh().platform().files().blocking(), "hostname",
        ConfigFileEdit.parseValue("\"repaired\""));
    assertEquals(List.of(), r.alreadyBad());
    awaitFile(dev, "/etc/hostname", "repaired\n");
    dev.awaitUnit("hostname", UnitState.ACTIVE).await();

    // broken again: the unit keeps its last good value and says why on its line
    ConfigFileEdit.Refused refused = org.junit.jupiter.api.Assertions.assertThrows(ConfigFileEdit.Refused.class,
        () -> ConfigFileEdit.set(dev.mesh().platform().files().blocking(), "hostname", ConfigFileEdit.parseValue("\"-x\"")));
    assertEquals("/hostname", refused.violation().pointer(), "config set refuses the key it sets");
    ConfigRoot.write(dev, base.replace("\"uuid\"", "\"hostname\":\"-x\",\"dnsServers\":\"9.9.9.9\",\"uuid\""));
    awaitFile(dev, "/run/dnsmasq.servers", "\nserver=9.9.9.9\n");
    var held = dev.await(UnitTopics.state("hostname"), c -> c.detail().startsWith("/hostname refused")).await();
    assertEquals(UnitState.ACTIVE, held.state());
    assertTrue(held.detail().endsWith("the last good value stays in force"), held.detail());
    assertEquals("repaired\n", dev.readFile("/etc/hostname"));
    DeviceConfig inForce = dev.bus().latest(ConfigTopics.CONFIG).orElseThrow();
    assertEquals("repaired", inForce.hostname(), "the config in force has the last good value of the refused key");
    assertEquals("9.9.9.9", inForce.dnsServers());
    // fixed: the line clears
    ConfigRoot.write(dev, base);
    dev.await(UnitTopics.state("hostname"), c -> c.detail().isEmpty()).await();
    awaitFile(dev, "/etc/hostname", "0123456\n");
  }
}
