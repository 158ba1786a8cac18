package io.hostmesh.api.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class UnitNamesTest {
  private static final Predicate<String> MESH = Set.of("chronyd", "ssh-socket", "config-watcher", "country", "hostname")::contains;

  @Test
  void aNameIsFoundWithOrWithoutItsSuffixAndByTheMeshUnitsName() {
    assertEquals("chronyd", UnitNames.find("chronyd", MESH).orElseThrow().unit());
    assertEquals("chronyd", UnitNames.find("chronyd.service", MESH).orElseThrow().unit());
    assertEquals("sshd.socket", UnitNames.find("ssh-socket", MESH).orElseThrow().name());
    assertEquals("sshd.socket", UnitNames.find("sshd.socket", MESH).orElseThrow().name());
    assertEquals(UnitNames.Kind.JOB, UnitNames.find("recover-sshd-socket.service", MESH).orElseThrow().kind());
    assertEquals(UnitNames.Kind.JOB, UnitNames.find("config-json", MESH).orElseThrow().kind());
    assertEquals("balena-hostname.service", UnitNames.find("hostname", MESH).orElseThrow().name());
    assertEquals("country.service", UnitNames.find("country.service", MESH).orElseThrow().name(), "no row: NAME.service");
    assertEquals(Optional.empty(), UnitNames.find("sshd.service", MESH));
    assertEquals(Optional.empty(), UnitNames.find("timesync-https", MESH), "the mesh does not have it");
  }

  @Test
  void theRecoveryUnitsJournalIsTheRecoveryLineOnly() {
    UnitNames.Entry recovery = UnitNames.find("recover-sshd-socket.service", MESH).orElseThrow();
    assertTrue(recovery.messages().test("sshd.socket was stopped by trigger rate limit, restarting"));
    assertEquals(false, recovery.messages().test("Listening on 127.0.0.1:22222"));
    assertEquals("recover-sshd-socket", recovery.identifier());
  }
}
