package io.hostmesh.configwatch;

import static io.hostmesh.configwatch.ConfigRoot.awaitFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.cli.ConfigCommand;
import io.hostmesh.schema.config.ConfigStatus;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.Projections.NtpConfig;
import io.hostmesh.schema.config.RefusedKey;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.testing.SimDevice;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/** {@code hostmesh config} repairs a live device's config.json with three bad keys, one key at a time. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConfigRepairTest {
  private SimDevice dev;

  @AfterEach
  void close() {
    if (dev != null) {
      dev.stop().await();
      dev.close();
    }
  }

  record Run(int exit, String out, String err) {}

  private Run config(String sub, String... args) {
    List<String> argv = new java.util.ArrayList<>(List.of(sub, "--root", dev.root().toString()));
    argv.addAll(List.of(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new ConfigCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return new Run(cl.execute(argv.toArray(String[]::new)), out.toString(), err.toString());
  }

  private List<String> refused() {
    return dev.bus().latest(ConfigTopics.STATUS).orElseThrow().refused().stream().map(RefusedKey::pointer).toList();
  }

  private ConfigStatus settledOn(List<String> pointers) {
    return dev.await(ConfigTopics.STATUS, s -> s.refused().stream().map(RefusedKey::pointer).toList().equals(pointers)).await();
  }

  @Test
  void threeBadKeysAreRepairedOneAtATimeWhileEverythingElseRuns(Vertx vertx) {
    dev = ConfigRoot.device(vertx).file(ConfigRoot.CONFIG, ConfigWatcherTest.BASE.replace("\"uuid\"",
        "\"ntpServers\":[\"time.example.com\"],\"hostname\":\"a;reboot\",\"dnsServers\":{},\"uuid\"")).build();
    dev.start().await();
    settledOn(List.of("/hostname", "/ntpServers", "/dnsServers"));
    // first boot: the readers of the bad keys wait, the rest is applied
    assertTrue(dev.awaitUnit("hostname", UnitState.WAITING).await().detail().contains("/hostname refused"));
    assertTrue(dev.awaitUnit("dns", UnitState.WAITING).await().detail().contains("/dnsServers refused"));
    awaitFile(dev, "/etc/NetworkManager/conf.d/os-networkmanager.conf", "# This file is generated based on"
        + " os.networkManager configuration in config.json.\n\n[connectivity]\nuri=https://api.example.com/connectivity-check\n"
        + "interval=3600\nresponse=\n");

    Run check = config("check");
    assertEquals(ConfigCommand.REFUSED, check.exit());
    assertEquals(4, check.out().lines().count(), check.out());

    Run ntp = config("set", "ntpServers", "time.example.com");
    assertEquals(0, ntp.exit(), ntp.err());
    assertEquals(2, ntp.err().lines().filter(l -> l.contains("is already refused")).count(), ntp.err());
    settledOn(List.of("/hostname", "/dnsServers"));
    assertEquals(List.of("time.example.com"), dev.await(ConfigTopics.NTP, n -> !n.servers().isEmpty()).await().servers());

    Run bad = config("set", "hostname", "still;bad");
    assertEquals(ConfigCommand.REFUSED, bad.exit());
    Run host = config("set", "hostname", "repaired");
    assertEquals(0, host.exit());
    assertEquals(1, host.err().lines().count(), host.err());
    awaitFile(dev, "/etc/hostname", "repaired\n");
    settledOn(List.of("/dnsServers"));

    assertEquals(new Run(0, "config.json: dnsServers deleted\n", ""), config("unset", "dnsServers"));
    awaitFile(dev, "/run/dnsmasq.servers", "\nserver=8.8.8.8\n");
    settledOn(List.of());
    dev.awaitUnit("dns", UnitState.ACTIVE).await();
    assertEquals(0, config("check").exit());
    assertEquals("", dev.mesh().unit(ConfigWatcher.NAME).orElseThrow().detail());
    assertEquals(List.of(), refused());
    assertEquals(new NtpConfig(List.of("time.example.com")), dev.bus().latest(ConfigTopics.NTP).orElseThrow());
  }
}
