package io.hostmesh.chrony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assertions;

class ChronyConfTest {
  @Test
  void deviceConfigurationHasTheSpecLines() {
    List<String> lines = List.of(ChronyConf.device(p -> p).split("\n"));
    for (String expected : List.of(
        "pool 0.resinio.pool.ntp.org iburst minpoll 14 maxpoll 14 maxsources 1",
        "pool 1.resinio.pool.ntp.org iburst minpoll 14 maxpoll 14 maxsources 1",
        "pool 2.resinio.pool.ntp.org iburst minpoll 14 maxpoll 14 maxsources 1",
        "pool 3.resinio.pool.ntp.org iburst minpoll 14 maxpoll 14 maxsources 1",
        "sourcedir /run/chrony", "driftfile /var/lib/chrony/drift", "maxupdateskew 100", "makestep 1 -1",
        "logchange 1", "maxdistance 16", "hwtimestamp *", "rtcsync", "acquisitionport 1234",
        "bindcmdaddress /run/chrony/chronyd.sock", "pidfile /run/chrony/chronyd.pid")) {
      assertTrue(lines.contains(expected), expected);
    }
  }

  @Test
  void simConfigurationUsesTheSettingsServersAndTheDeviceRoot() {
    String conf = ChronyConf.sim(p -> "/tmp/dev" + p, List.of("127.0.0.2 port 11123 iburst minpoll -2 maxpoll 0"));
    List<String> lines = List.of(conf.split("\n"));
    assertTrue(lines.contains("server 127.0.0.2 port 11123 iburst minpoll -2 maxpoll 0"));
    assertTrue(lines.contains("sourcedir /tmp/dev/run/chrony"));
    assertTrue(lines.contains("bindcmdaddress /tmp/dev/run/chrony/chronyd.sock"));
    assertTrue(lines.contains("pidfile /tmp/dev/run/chrony/chronyd.pid"));
    assertTrue(lines.contains("driftfile /tmp/dev/var/lib/chrony/drift"));
    assertTrue(lines.contains("makestep 1 -1"));
    assertTrue(lines.contains("port 0"), "a simulated device serves no NTP");
    assertTrue(lines.contains("cmdport 0"), "only the device's own command socket");
    assertFalse(conf.contains("resinio"));
    assertFalse(conf.contains("rtcsync"));
    assertFalse(conf.contains("hwtimestamp"));
    assertFalse(conf.contains("acquisitionport"));
  }

  @Test
  void settingsDefaultToTheSpec() {
    ChronydSettings s = ChronydSettings.from(new JsonObject());
    assertEquals(Duration.ofSeconds(120), s.healthInterval());
    assertEquals(60, s.waitsyncTries());
    assertEquals(1.0, s.stepThresholdSeconds());
    assertEquals(List.of(), s.servers());
  }

  @Test
  void settingsRefuseServerLinesThatWouldAddDirectives() {
    for (String bad : List.of("127.0.0.2\nallow all", "127.0.0.2 iburst\nlocal stratum 1", "x;y iburst",
        "127.0.0.2 iburst # c")) {
      JsonObject s = new JsonObject().put("servers", new JsonArray().add(bad));
      Assertions.assertThrows(IllegalArgumentException.class, () -> ChronydSettings.from(s), bad);
    }
    Assertions.assertThrows(IllegalArgumentException.class,
        () -> ChronydSettings.from(new JsonObject().put("healthCheckSeconds", 0)));
    Assertions.assertThrows(IllegalArgumentException.class,
        () -> ChronydSettings.from(new JsonObject().put("waitsyncTries", 0)));
  }
}
