package io.hostmesh.timesync.https;

import io.hostmesh.demo.ThrowawayCa;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.CertificateException;
import org.junit.jupiter.api.Test;

class HostnameMatchTest {
  private static final ThrowawayCa CA = ThrowawayCa.create("hostname test CA");

  @Test
  void wildcardCoversExactlyOneLeftmostLabel() {
    assertTrue(HostnameMatch.matchesDns("*.balena-cloud.com", "api.balena-cloud.com"));
    assertTrue(HostnameMatch.matchesDns("API.Balena-Cloud.com.", "api.balena-cloud.com"));
    assertFalse(HostnameMatch.matchesDns("*.balena-cloud.com", "a.b.balena-cloud.com"));
    assertFalse(HostnameMatch.matchesDns("*.balena-cloud.com", "balena-cloud.com"));
    assertFalse(HostnameMatch.matchesDns("*.com", "example.com"));
    assertFalse(HostnameMatch.matchesDns("a*.example.com", "ab.example.com"));
  }

  @Test
  void ipLiteralsMatchOnlyIpAddressNames() throws Exception {
    assertDoesNotThrow(() -> HostnameMatch.check("127.0.0.1", CA.issue("127.0.0.1").certificate()));
    assertDoesNotThrow(() -> HostnameMatch.check("[::1]", CA.issue("::1").certificate()));
    // a DNS name that spells the address is not an IP SAN
    assertThrows(CertificateException.class, () -> HostnameMatch.check("127.0.0.2", CA.issue("127.0.0.1").certificate()));
    assertThrows(CertificateException.class, () -> HostnameMatch.check("localhost", CA.issue("127.0.0.1").certificate()));
  }

  @Test
  void hostileHostNamesAreRefusedWithoutLookup() {
    assertThrows(CertificateException.class, () -> HostnameMatch.check("", CA.issue("a.example").certificate()));
    assertThrows(CertificateException.class, () -> HostnameMatch.check("a.example\nb", CA.issue("a.example").certificate()));
    assertThrows(CertificateException.class, () -> HostnameMatch.check("$(reboot)", CA.issue("a.example").certificate()));
  }
}
