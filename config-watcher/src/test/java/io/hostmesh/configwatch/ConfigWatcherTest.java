package io.hostmesh.configwatch;

import static io.hostmesh.configwatch.ConfigRoot.awaitFile;
import static io.hostmesh.configwatch.ConfigRoot.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hostmesh.schema.config.ConfigError;
import io.hostmesh.schema.config.ConfigStatus;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.Projections.NtpConfig;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.unit.support.ConfigFileEdit;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** config-watcher with the config units on a sim root, real time: the OS suite's config.json scenarios. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConfigWatcherTest {
  static final String BASE = "{\"uuid\":\"0123456789abcdef0123456789abcdef\",\"apiEndpoint\":\"https://api.example.com\","
      + "\"developmentMode\":true,\"persistentLogging\":true,\"localMode\":true,\"os\":{\"sshKeys\":[\"ssh-ed25519 AAAA test\"]}}";

  private SimDevice dev;

  @AfterEach
  void close() {
    if (dev != null) {
      dev.stop().await();
      dev.close();
    }
  }

  private SimDevice started(Vertx vertx, String config) {
    dev = ConfigRoot.device(vertx).file(ConfigRoot.CONFIG, config).build();
    dev.start().await();
    return dev;
  }

  private void set(String key, String jsonValue) throws Exception {
    ConfigFileEdit.set(dev.mesh().platform().files().blocking(), key, ConfigFileEdit.parseValue(jsonValue));
  }

  @Test
  void hostnameDefaultsToUuidPrefixThenFollowsTheKey(Vertx vertx) throws Exception {
    started(vertx, BASE);
    awaitFile(dev, "/etc/hostname", "0123456\n");
    set("hostname", "\"h4x0rdev\"");
    awaitFile(dev, "/etc/hostname", "h4x0rdev\n");
    set("hostname", "null");
    awaitFile(dev, "/etc/hostname", "0123456\n");
  }

  @Test
  void ntpServersReachTheNtpProjection(Vertx vertx) throws Exception {
    started(vertx, BASE);
    set("ntpServers", "time.google.com");
    NtpConfig ntp = dev.await(ConfigTopics.NTP, n -> !n.servers().isEmpty()).await();
    assertEquals(List.of("time.google.com"), ntp.servers());
  }

  @Test
  void dnsServersFollowTheThreeWayTable(Vertx vertx) throws Exception {
    started(vertx, BASE);
    awaitFile(dev, "/run/dnsmasq.servers", "\nserver=8.8.8.8\n");
    set("dnsServers", "1.1.1.1 1.1.1.1");
    awaitFile(dev, "/run/dnsmasq.servers", "\nserver=1.1.1.1\nserver=1.1.1.1\n");
    set("dnsServers", "\"null\"");
    awaitFile(dev, "/run/dnsmasq.servers", "\n");
    set("dnsServers", "null"); // JSON null: the key is deleted, as the suite's del(.dnsServers)
    awaitFile(dev, "/run/dnsmasq.servers", "\nserver=8.8.8.8\n");
  }

  @Test
  void connectivityUriAndMacScanReachTheNetworkManagerFragment(Vertx vertx) throws Exception {
    started(vertx, BASE);
    String fragment = "/etc/NetworkManager/conf.d/os-networkmanager.conf";
    awaitFile(dev, fragment, "# This file is generated based on os.networkManager configuration in config.json.\n"
        + "\n[connectivity]\nuri=https://api.example.com/connectivity-check\ninterval=3600\nresponse=\n");
    set("os.network.connectivity", "{\"uri\":\"http://www.archlinux.org/check_network_status.txt\"}");
    set("os.network.wifi.randomMacAddressScan", "true");
    awaitFile(dev, fragment, "# This file is generated based on os.networkManager configuration in config.json.\n"
        + "\n[device]\nwifi.scan-rand-mac-address=yes\n"
        + "\n[connectivity]\nuri=http://www.archlinux.org/check_network_status.txt\ninterval=3600\nresponse=\n");
    set("os.network.connectivity.uri", "\"null\"");
    awaitFile(dev, fragment, "# This file is generated based on os.networkManager configuration in config.json.\n"
        + "\n[device]\nwifi.scan-rand-mac-address=yes\n");
    assertFalse(ConfigRoot.readOrNull(dev, fragment).contains("uri=null"));
  }

  @Test
  void aHostnameChangeReachesOnlyTheUnitsThatReadIt(Vertx vertx) throws Exception {
    started(vertx, BASE);
    awaitFile(dev, "/etc/hostname", "0123456\n");
    awaitFile(dev, "/run/dnsmasq.servers", "\nserver=8.8.8.8\n");
    Map<String, Long> before = dev.bus().traffic();
    Map<String, List<Object>> delivered = new java.util.concurrent.ConcurrentHashMap<>();
    for (var p : ConfigTopics.PROJECTIONS) {
      List<Object> seen = new CopyOnWriteArrayList<>();
      delivered.put(p.topic().address(), seen);
      dev.bus().subscribe(p.topic(), seen::add).completion().await();
    }
    set("hostname", "\"renamed\"");
    awaitFile(dev, "/etc/hostname", "renamed\n");
    set("dnsServers", "9.9.9.9"); // a second, later change: once it is through, the first is fully delivered
    awaitFile(dev, "/run/dnsmasq.servers", "\nserver=9.9.9.9\n");
    ConfigRoot.until(vertx, Duration.ofSeconds(5), "deliveries",
        () -> delivered.get(ConfigTopics.DNS.address()).size() == 2).await();
    Map<String, Long> after = dev.bus().traffic();
    for (var p : ConfigTopics.PROJECTIONS) {
      String a = p.topic().address();
      long published = after.getOrDefault(a, 0L) - before.getOrDefault(a, 0L);
      int deliveries = delivered.get(a).size() - 1; // minus the latched value handed over at subscribe
      long expected = a.equals(ConfigTopics.HOSTNAME.address()) || a.equals(ConfigTopics.DNS.address()) ? 1 : 0;
      assertEquals(expected, published, "publishes on " + a);
      assertEquals(expected, deliveries, "deliveries on " + a);
    }
  }

  /** A document that is not JSON or not an object is refused whole; a bad key alone: ConfigKeyRefusalTest. */
  @Test
  void badDocumentsAreRefusedAndTheLastGoodConfigStays(Vertx vertx) throws Exception {
    started(vertx, BASE);
    awaitFile(dev, "/etc/hostname", "0123456\n");
    awaitFile(dev, "/run/dnsmasq.servers", "\nserver=8.8.8.8\n");
    // every config unit has applied the good config (its writes land on the device's worker)
    dev.mesh().whenSettled().await();
    var good = dev.bus().latest(ConfigTopics.CONFIG).orElseThrow();
    Map<String, String> files = ConfigRoot.snapshot(dev.root());
    List<ConfigError> events = new CopyOnWriteArrayList<>();
    dev.bus().subscribe(ConfigTopics.CONFIG_ERROR, events::add).completion().await();
    String[][] cases = {
        {"{\"hostname\": \"x\"", "", "not valid JSON"},
        {BASE.substring(0, BASE.length() / 2), "", "not valid JSON"},
        {"", "", "empty file"},
        {"null", "", "must be a JSON object"},
        {"{\"a\":1}{\"b\":2}", "", "not valid JSON"},
        {"{\"hostname\":\"a\",\"hostname\":\"b\"}", "", "Duplicate field"},
        {"\"just a string\"", "", "must be a JSON object, found a string"},
    };
    long errors = dev.bus().latest(ConfigTopics.STATUS).orElseThrow().errors();
    for (String[] c : cases) {
      String digest = write(dev, c[0]);
      ConfigStatus s = dev.await(ConfigTopics.STATUS, x -> x.digest().equals(digest)).await();
      assertNotNull(s.error(), c[0]);
      assertEquals(c[1], s.error().path(), c[0]);
      assertEquals(1, s.refused().size(), c[0]);
      assertEquals(ConfigTopics.PROJECTIONS.size(), s.refused().get(0).projections().size(), "holds back every projection");
      assertTrue(s.error().reason().contains(c[2]), c[0] + " → " + s.error().reason());
      assertEquals(++errors, s.errors());
      assertTrue(s.inForce());
      assertEquals(good, dev.bus().latest(ConfigTopics.CONFIG).orElseThrow());
    }
    Files.delete(dev.path(ConfigRoot.CONFIG));
    ConfigStatus missing = dev.await(ConfigTopics.STATUS, x -> x.digest().isEmpty()).await();
    assertEquals("file not found", missing.error().reason());
    ConfigRoot.until(vertx, Duration.ofSeconds(5), "error events", () -> events.size() == cases.length + 1).await();
    assertEquals(ConfigRoot.CONFIG, events.get(0).file());
    assertEquals(ConfigWatcher.NAME, events.get(0).unit());
    assertEquals(files, ConfigRoot.snapshot(dev.root()), "nothing written while config.json was bad");
    dev.awaitUnit(ConfigWatcher.NAME, UnitState.ACTIVE).await();
    assertTrue(dev.logged(ConfigWatcher.NAME, "The last good configuration stays in force."));
    // what /v1/units and hostmesh status show beside the watcher's state
    dev.await(io.hostmesh.schema.unit.UnitTopics.state(ConfigWatcher.NAME),
        c -> c.detail().equals("config.json refused at /: file not found (last good config in force)")).await();
    // and a good file is taken again
    String digest = write(dev, BASE.replace("\"uuid\"", "\"hostname\":\"back\",\"uuid\""));
    ConfigStatus ok = dev.await(ConfigTopics.STATUS, x -> x.digest().equals(digest)).await();
    assertNull(ok.error());
    awaitFile(dev, "/etc/hostname", "back\n");
    dev.await(io.hostmesh.schema.unit.UnitTopics.state(ConfigWatcher.NAME), c -> c.detail().isEmpty()).await();
  }

  @Test
  void aMissingFileAtStartHoldsTheConfigUnitsUntilItAppears(Vertx vertx) {
    dev = ConfigRoot.device(vertx).build();
    dev.start().await();
    ConfigStatus s = dev.await(ConfigTopics.STATUS, x -> x.error() != null).await();
    assertEquals("file not found", s.error().reason());
    assertFalse(s.inForce());
    var hostname = dev.awaitUnit("hostname", UnitState.WAITING).await();
    assertEquals("waiting for config (config.json refused: file not found)", hostname.detail());
    dev.awaitUnit(ConfigWatcher.NAME, UnitState.ACTIVE).await();
    write(dev, BASE);
    awaitFile(dev, "/etc/hostname", "0123456\n");
    assertTrue(dev.await(ConfigTopics.STATUS, ConfigStatus::inForce).await().error() == null);
  }

  @Test
  void aFileWrittenInPlaceInTwoStepsIsReadWhole(Vertx vertx) throws Exception {
    started(vertx, BASE);
    awaitFile(dev, "/etc/hostname", "0123456\n");
    byte[] next = BASE.replace("\"uuid\"", "\"hostname\":\"inplace\",\"uuid\"").getBytes(StandardCharsets.UTF_8);
    Path file = dev.path(ConfigRoot.CONFIG);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(next, 0, next.length / 2));
      ch.force(true);
      ch.write(java.nio.ByteBuffer.wrap(next, next.length / 2, next.length - next.length / 2));
    }
    awaitFile(dev, "/etc/hostname", "inplace\n");
    assertEquals(0, dev.bus().latest(ConfigTopics.STATUS).orElseThrow().errors(), "the half-written file was not reported");
  }

  @Test
  void unknownKeysAreKeptAndNeverRewritten(Vertx vertx) throws Exception {
    String withUnknown = "{\"uuid\":\"abcdef0\",\"applicationId\":1234,\"custom\":{\"deep\":[1,2,{\"x\":null}]}}";
    started(vertx, withUnknown);
    awaitFile(dev, "/etc/hostname", "abcdef0\n");
    var config = dev.bus().latest(ConfigTopics.CONFIG).orElseThrow();
    assertEquals(1234, config.document().get("applicationId"));
    assertTrue(config.document().containsKey("custom"));
    assertEquals(withUnknown, Files.readString(dev.path(ConfigRoot.CONFIG)), "the watcher never writes config.json");
    ConfigFileEdit.set(dev.mesh().platform().files().blocking(), "hostname", JsonNodeFactory.instance.textNode("kept"));
    awaitFile(dev, "/etc/hostname", "kept\n");
    String edited = Files.readString(dev.path(ConfigRoot.CONFIG));
    assertTrue(edited.contains("\"custom\":{\"deep\":[1,2,{\"x\":null}]}"), edited);
  }
}
