package io.hostmesh.chrony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.bus.Subscription;
import io.hostmesh.schema.chrony.ChronyTopics;
import io.hostmesh.schema.chrony.DhcpNtpApplied;
import io.hostmesh.schema.chrony.DhcpNtpServers;
import io.hostmesh.schema.config.ConfigError;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.Projections.NtpConfig;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.testing.SimDevice;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** chrony-sources without a chronyd: the files it writes and what it refuses. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ChronySourcesUnitTest {
  private static final String SPEC = " iburst minpoll 14 maxpoll 14 maxsources 1\n";
  private SimDevice dev;

  @BeforeEach
  void start(Vertx vertx) {
    dev = SimDevice.builder(vertx).unit(ChronySourcesUnit::new).external(ConfigTopics.NTP).build();
    dev.start().await();
    dev.awaitUnit("chrony-sources", UnitState.ACTIVE).await();
  }

  @AfterEach
  void stop() {
    dev.stop().await();
    dev.close();
  }

  @Test
  void ntpServersBecomePoolLinesAndAbsenceRemovesTheFile() {
    Path file = dev.path(ChronyPaths.CONFIG_SOURCES);
    dev.bus().publish(ConfigTopics.NTP, new NtpConfig(List.of("time.google.com", "10.0.0.1")));
    dev.awaitLog("chrony-sources", "Wrote /run/chrony/added_config.sources").await();
    assertEquals("pool time.google.com" + SPEC + "pool 10.0.0.1" + SPEC, dev.readFile(ChronyPaths.CONFIG_SOURCES));
    assertEquals("rwxrwx---", permissions(file.getParent()));

    dev.bus().publish(ConfigTopics.NTP, NtpConfig.parse(null));
    dev.awaitLog("chrony-sources", "Removed /run/chrony/added_config.sources").await();
    assertFalse(Files.exists(file));
  }

  @Test
  void hostileNtpServersAreRefusedAndTheFileIsKept() throws Exception {
    dev.bus().publish(ConfigTopics.NTP, new NtpConfig(List.of("time.google.com")));
    dev.awaitLog("chrony-sources", "Wrote /run/chrony/added_config.sources").await();
    Path file = dev.path(ChronyPaths.CONFIG_SOURCES);
    String before = Files.readString(file);
    long modified = Files.getLastModifiedTime(file).toMillis();

    List<List<String>> hostile = List.of(
        List.of("pool.ntp.org\nallow all"),
        List.of("pool.ntp.org;reboot"),
        List.of("time.google.com server 1.2.3.4 allow all"),
        List.of("good.example", "$(touch /tmp/x)"),
        List.of("../../etc/shadow"),
        // what NtpConfig.parse makes of a config.json value with a newline: the newline stays in a word
        NtpConfig.parse("time.google.com\nserver 1.2.3.4 allow all").servers());
    List<ConfigError> errors = new CopyOnWriteArrayList<>();
    Promise<Void> allRefused = Promise.promise();
    Subscription sub = dev.bus().subscribe(ConfigTopics.CONFIG_ERROR, e -> {
      errors.add(e);
      if (errors.size() == hostile.size()) {
        allRefused.tryComplete();
      }
    });
    sub.completion().await();
    hostile.forEach(names -> dev.bus().publish(ConfigTopics.NTP, new NtpConfig(names)));
    allRefused.future().await(20, TimeUnit.SECONDS);
    assertEquals(hostile.size(), errors.size());
    for (ConfigError e : errors) {
      assertEquals("/ntpServers", e.path());
      assertEquals("chrony-sources", e.unit());
      assertEquals("/mnt/boot/config.json", e.file());
      assertTrue(e.reason().startsWith("invalid NTP server name"), e.reason());
      assertFalse(e.reason().contains("\n"), "one line: " + e.reason());
    }
    assertEquals(before, Files.readString(file));
    assertEquals(modified, Files.getLastModifiedTime(file).toMillis());
    sub.cancel();
  }

  @Test
  void dhcpServersPerInterfaceFollow98dhcpNtp() {
    String file = ChronyPaths.dhcpSources("eth0");
    DhcpNtpApplied a = dhcp("eth0", "up", "10.0.0.1");
    assertEquals("added", a.change());
    assertFalse(a.reloaded(), "no chronyd runs");
    assertEquals("pool 10.0.0.1" + SPEC, dev.readFile(file));
    dev.awaitLog("chrony-sources", "Adding DHCP NTP sources (eth0 up).").await();

    assertEquals("updated", dhcp("eth0", "dhcp4-change", "10.0.0.2", "ntp.lan").change());
    assertEquals("pool 10.0.0.2" + SPEC + "pool ntp.lan" + SPEC, dev.readFile(file));
    dev.awaitLog("chrony-sources", "Updating DHCP NTP sources (eth0 dhcp4-change).").await();

    assertEquals("removed", dhcp("eth0", "dhcp4-change").change());
    assertFalse(Files.exists(dev.path(file)));
    dev.awaitLog("chrony-sources", "Removing DHCP NTP sources (eth0 dhcp4-change).").await();

    assertEquals("unchanged", dhcp("eth0", "down").change());
    assertEquals("added", dhcp("wlan0", "up", "10.1.0.1").change());
    assertEquals("unchanged", dhcp("wlan0", "pre-up", "10.9.9.9").change(), "other actions are ignored");
    assertEquals("removed", dhcp("wlan0", "down", "10.1.0.1").change());
    assertFalse(Files.exists(dev.path(ChronyPaths.dhcpSources("wlan0"))));
  }

  @Test
  void hostileDhcpValuesAreRefusedWithTheReason() throws Exception {
    for (DhcpNtpServers bad : List.of(
        new DhcpNtpServers("../../etc", "up", List.of("10.0.0.1")),
        new DhcpNtpServers("eth0\nx", "up", List.of("10.0.0.1")),
        new DhcpNtpServers("eth0", "up", List.of("10.0.0.1\nallow all")),
        new DhcpNtpServers("eth0", "up", List.of("a;b")))) {
      Future<DhcpNtpApplied> f = dev.bus().request(ChronyTopics.DHCP_NTP_SERVERS, bad);
      Throwable t = f.transform(ar -> Future.succeededFuture(ar.cause())).await();
      assertTrue(t != null && t.getMessage().startsWith("invalid"), String.valueOf(t));
    }
    try (var files = Files.list(dev.path(ChronyPaths.SOURCE_DIR))) {
      assertEquals(List.of(), files.toList());
    }
    assertFalse(Files.exists(dev.root().resolve("etc")));
  }

  @Test
  void changesAreSerialisedAndTheLastOneWins() {
    List<Future<DhcpNtpApplied>> all = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      all.add(dev.bus().request(ChronyTopics.DHCP_NTP_SERVERS,
          new DhcpNtpServers("eth1", i % 3 == 1 ? "down" : "up", List.of("10.0.0." + i))));
    }
    Future.all(all).await();
    assertEquals("pool 10.0.0.29" + SPEC, dev.readFile(ChronyPaths.dhcpSources("eth1")));
    assertEquals("added", all.get(0).result().change());
    assertEquals("removed", all.get(1).result().change());
    assertEquals("added", all.get(2).result().change());
    assertEquals("updated", all.get(3).result().change());
  }

  private DhcpNtpApplied dhcp(String iface, String action, String... servers) {
    return dev.bus().request(ChronyTopics.DHCP_NTP_SERVERS, new DhcpNtpServers(iface, action, List.of(servers))).await();
  }

  private static String permissions(Path p) {
    try {
      return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
