package io.hostmesh.chrony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SourceNamesTest {
  @ParameterizedTest
  @ValueSource(strings = {"time.google.com", "0.resinio.pool.ntp.org", "pool.ntp.org.", "localhost", "127.0.0.2",
      "10.0.0.1", "::1", "2001:db8::123", "ntp-1.example"})
  void acceptsHostNamesAndAddresses(String name) {
    assertTrue(SourceNames.serverProblem(name).isEmpty(), name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "a b", "time.google.com\nallow all", "time.google.com\rallow", "pool.ntp.org;reboot",
      "$(reboot)", "`id`", "../../etc/passwd", "host/x", "-x", "a..b", ".", "fe80::1%eth0", "1:2:3",
      "time.google.com server 1.2.3.4 allow all", "a*", "name#comment", "x\u0000y"})
  void refusesEverythingElse(String name) {
    assertFalse(SourceNames.serverProblem(name).isEmpty(), name);
  }

  @Test
  void refusesOverlongLabelsAndNames() {
    assertFalse(SourceNames.serverProblem("a".repeat(64) + ".example").isEmpty());
    assertFalse(SourceNames.serverProblem(("a".repeat(60) + ".").repeat(5) + "com").isEmpty());
    assertTrue(SourceNames.serverProblem("a".repeat(63) + ".example").isEmpty());
  }

  @Test
  void errorMessagesStayOnOneLine() {
    String reason = SourceNames.serverProblem("x\nallow all").orElseThrow();
    assertEquals("invalid NTP server name \"x\\nallow all\": expected a host name or an IP address", reason);
    assertEquals("empty NTP server name", SourceNames.serverProblem(null).orElseThrow());
  }

  @ParameterizedTest
  @ValueSource(strings = {"eth0", "wlan0", "enp0s31f6", "br-1234.10", "usb_0"})
  void acceptsInterfaceNames(String iface) {
    assertTrue(SourceNames.interfaceProblem(iface).isEmpty(), iface);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "../x", "eth0/../../x", "a b", "eth0\n", ".", "..", "averyveryverylongname0", "-eth0"})
  void refusesInterfaceNamesThatAreNotFileNameSafe(String iface) {
    assertFalse(SourceNames.interfaceProblem(iface).isEmpty(), iface);
  }

  @Test
  void optionsAreWordsAndNumbers() {
    assertTrue(SourceNames.optionsProblem("port 11123 iburst minpoll -2 maxpoll 0").isEmpty());
    assertTrue(SourceNames.optionsProblem(ChronySourcesUnit.SPEC_OPTIONS).isEmpty());
    for (String bad : List.of("iburst\nallow all", "iburst; x", "iburst  maxpoll 0", "", "a=b")) {
      assertFalse(SourceNames.optionsProblem(bad).isEmpty(), bad);
    }
  }
}
