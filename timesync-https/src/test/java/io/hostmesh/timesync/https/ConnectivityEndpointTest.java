package io.hostmesh.timesync.https;

import io.hostmesh.unit.support.HttpDate;

import io.hostmesh.demo.ThrowawayCa;
import io.hostmesh.demo.ConnectivityEndpoint;

import static io.hostmesh.timesync.https.SyncRig.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The demo's endpoint, checked with an ordinary verifying Vert.x client that trusts the throwaway CA. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ConnectivityEndpointTest {
  @Test
  void answers204WithTheClocksDateOnHeadAndGetAnd404Elsewhere(Vertx vertx) {
    ThrowawayCa ca = ThrowawayCa.create("endpoint test CA");
    Instant fixed = Instant.parse("2031-05-04T03:02:01Z");
    ConnectivityEndpoint ep = get(ConnectivityEndpoint.start(vertx, ca.issue("127.0.0.1"), () -> fixed));
    WebClient client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(false)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(ca.certificatePem()))));
    try {
      assertTrue(ep.uri().startsWith("https://127.0.0.1:"));
      for (HttpMethod m : new HttpMethod[] {HttpMethod.HEAD, HttpMethod.GET}) {
        var r = get(client.requestAbs(m, ep.uri()).send());
        assertEquals(204, r.statusCode());
        assertEquals("Sun, 04 May 2031 03:02:01 GMT", r.getHeader("Date"));
        assertEquals(fixed, HttpDate.parse(r.getHeader("Date")).orElseThrow());
      }
      assertEquals(404, get(client.requestAbs(HttpMethod.GET, ep.baseUri() + "/other").send()).statusCode());
      ep.reply(ConnectivityEndpoint.Reply.status(200));
      assertEquals(200, get(client.requestAbs(HttpMethod.HEAD, ep.uri()).send()).statusCode());
      assertEquals(3, ep.requests());
      assertThrows(IllegalArgumentException.class, () -> ConnectivityEndpoint.Reply.status(42));
    } finally {
      client.close();
      get(ep.close());
    }
  }

  @Test
  void balenaRootCaIsBase64OfThePem() throws Exception {
    ThrowawayCa ca = ThrowawayCa.create("base64 CA");
    var certs = TrustAnchors.parseBundle(ca.balenaRootCA());
    assertEquals(ca.certificate(), certs.get(0));
    assertEquals(ca.certificate(), TrustAnchors.parseBundle(ca.certificatePem()).get(0));
    assertEquals(1, TrustAnchors.of(ca.balenaRootCA(), false).anchors().size());
    assertTrue(TrustAnchors.of("", false).anchors().isEmpty());
    assertTrue(TrustAnchors.of("null", false).anchors().isEmpty());
    assertTrue(TrustAnchors.of("%%%", false).problem().startsWith("balenaRootCA ignored: "));
    assertTrue(TrustAnchors.of("not base64 !!", false).problem().startsWith("balenaRootCA ignored: not base64"));
    assertTrue(TrustAnchors.of("aGVsbG8=", false).problem().contains("no PEM certificate"));
    assertTrue(TrustAnchors.of(null, true).anchors().size() > 10, "system trust store");
  }
}
