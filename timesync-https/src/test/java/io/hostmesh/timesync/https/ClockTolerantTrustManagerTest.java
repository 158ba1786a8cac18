package io.hostmesh.timesync.https;

import io.hostmesh.demo.ThrowawayCa;
import io.hostmesh.demo.ServerCertificate;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClockTolerantTrustManagerTest {
  private static ThrowawayCa ca;
  private static ThrowawayCa other;
  private final List<String> tolerated = new ArrayList<>();

  @BeforeAll
  static void cas() {
    ca = ThrowawayCa.create("trusted test CA");
    other = ThrowawayCa.create("unknown test CA");
  }

  private ClockTolerantTrustManager tm(ThrowawayCa trusted, String host, Instant deviceTime) {
    return new ClockTolerantTrustManager(TrustAnchors.of(trusted.balenaRootCA(), false), host, () -> deviceTime, tolerated::add);
  }

  private static X509Certificate[] chain(ServerCertificate c) {
    return new X509Certificate[] {c.certificate()};
  }

  @Test
  void acceptsAChainToTheTrustedCaForItsIp() {
    assertDoesNotThrow(() -> tm(ca, "127.0.0.1", Instant.now()).verify(chain(ca.issue("127.0.0.1"))));
    assertTrue(tolerated.isEmpty());
  }

  @Test
  void acceptsTheChainWhenTheServerAlsoSendsTheRoot() {
    ServerCertificate c = ca.issue("127.0.0.1");
    assertDoesNotThrow(() -> tm(ca, "127.0.0.1", Instant.now()).verify(new X509Certificate[] {c.certificate(), ca.certificate()}));
  }

  @Test
  void refusesAChainToAnUnknownCa() {
    var e = assertThrows(CertificateException.class,
        () -> tm(ca, "127.0.0.1", Instant.now()).verify(chain(other.issue("127.0.0.1"))));
    assertTrue(e.getMessage().startsWith("untrusted certificate chain"), e.getMessage());
  }

  @Test
  void acceptsAnExpiredCertificateAndSaysSo() {
    Instant now = Instant.now();
    ServerCertificate expired = ca.issue(List.of("127.0.0.1"), now.minus(Duration.ofDays(40)), now.minus(Duration.ofDays(10)));
    assertDoesNotThrow(() -> tm(ca, "127.0.0.1", now).verify(chain(expired)));
    assertEquals(1, tolerated.size());
  }

  @Test
  void acceptsACertificateNotYetValidAtABuildTimeClock() {
    // first boot: the device clock stands at the build time, years before the certificate
    Instant buildTime = Instant.parse("2020-01-01T00:00:00Z");
    assertDoesNotThrow(() -> tm(ca, "127.0.0.1", buildTime).verify(chain(ca.issue("127.0.0.1"))));
    assertEquals(1, tolerated.size());
  }

  @Test
  void refusesAnExpiredCertificateFromAnUnknownCa() {
    Instant now = Instant.now();
    ServerCertificate expired = other.issue(List.of("127.0.0.1"), now.minus(Duration.ofDays(40)), now.minus(Duration.ofDays(10)));
    assertThrows(CertificateException.class, () -> tm(ca, "127.0.0.1", now).verify(chain(expired)));
  }

  @Test
  void refusesAWrongHostname() {
    var e = assertThrows(CertificateException.class,
        () -> tm(ca, "127.0.0.1", Instant.now()).verify(chain(ca.issue("time.example.org"))));
    assertTrue(e.getMessage().contains("does not match host 127.0.0.1"), e.getMessage());
    assertThrows(CertificateException.class,
        () -> tm(ca, "api.example.org", Instant.now()).verify(chain(ca.issue("127.0.0.1"))));
  }

  @Test
  void refusesAnEmptyChainAndClientCertificates() {
    ClockTolerantTrustManager tm = tm(ca, "127.0.0.1", Instant.now());
    assertThrows(CertificateException.class, () -> tm.verify(new X509Certificate[0]));
    assertThrows(CertificateException.class, () -> tm.checkClientTrusted(chain(ca.issue("127.0.0.1")), "EC"));
  }

  @Test
  void refusesEverythingWithoutAnyTrustedCa() {
    var tm = new ClockTolerantTrustManager(TrustAnchors.of(null, false), "127.0.0.1", Instant::now, tolerated::add);
    assertThrows(CertificateException.class, () -> tm.verify(chain(ca.issue("127.0.0.1"))));
  }
}
