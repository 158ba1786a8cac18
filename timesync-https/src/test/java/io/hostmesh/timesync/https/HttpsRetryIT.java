package io.hostmesh.timesync.https;

import io.hostmesh.demo.ThrowawayCa;
import io.hostmesh.demo.ServerCertificate;
import io.hostmesh.demo.ConnectivityEndpoint;

import static io.hostmesh.timesync.https.SyncRig.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.config.Projections.ConnectivityConfig;
import io.hostmesh.schema.https.HttpsSyncAttempt;
import io.hostmesh.schema.https.HttpsSyncResult;
import io.hostmesh.schema.https.HttpsTopics;
import io.hostmesh.schema.https.SimNetworkChange;
import io.hostmesh.schema.unit.UnitState;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The retry loop on virtual time: after each failure timesync-https waits 2, 4, 8, 16, 32, 64,
 * 64 s (spec/units.md §timesync-https), then succeeds once the server answers 204.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class HttpsRetryIT {
  private static final List<Long> DELAYS_S = List.of(2L, 4L, 8L, 16L, 32L, 64L, 64L);
  private static ThrowawayCa ca;
  private ServerCertificate cert;
  private SyncRig rig;
  private ConnectivityEndpoint ep;

  @BeforeAll
  static void authority() {
    ca = ThrowawayCa.create("retry test CA");
  }

  @AfterEach
  void tearDown() {
    SyncRig.closeBoth(rig, ep);
  }

  private ConnectivityEndpoint endpoint(Vertx vertx, int port) {
    cert = cert == null ? ca.issue("127.0.0.1") : cert;
    return get(ConnectivityEndpoint.start(vertx, cert, () -> Instant.now().plus(Duration.ofDays(1)), port));
  }

  @Test
  void aCaptivePortalAnswering200IsRetried(Vertx vertx) {
    ep = endpoint(vertx, 0);
    ep.reply(ConnectivityEndpoint.Reply.status(200));
    failSevenTimesThenSucceed(vertx, ep.uri(), HttpsSyncResult.UNEXPECTED_STATUS, false,
        () -> ep.reply(ConnectivityEndpoint.Reply.noContent()));
    assertEquals(8, ep.requests());
  }

  @Test
  void aServerError500IsRetried(Vertx vertx) {
    ep = endpoint(vertx, 0);
    ep.reply(ConnectivityEndpoint.Reply.status(500));
    failSevenTimesThenSucceed(vertx, ep.uri(), HttpsSyncResult.UNEXPECTED_STATUS, false,
        () -> ep.reply(ConnectivityEndpoint.Reply.noContent()));
  }

  @Test
  void aRefusedConnectionIsRetried(Vertx vertx) {
    ConnectivityEndpoint probe = endpoint(vertx, 0);
    int port = probe.port();
    String uri = probe.uri();
    get(probe.close()); // nothing listens there now: connections are refused
    failSevenTimesThenSucceed(vertx, uri, HttpsSyncResult.CONNECTION_FAILED, false, () -> ep = endpoint(vertx, port));
  }

  @Test
  void aServerThatNeverAnswersIsCutAfterTenSecondsAndRetried(Vertx vertx) {
    ep = endpoint(vertx, 0);
    ep.reply(ConnectivityEndpoint.Reply.silent());
    failSevenTimesThenSucceed(vertx, ep.uri(), HttpsSyncResult.TIMED_OUT, true,
        () -> ep.reply(ConnectivityEndpoint.Reply.noContent()));
  }

  @Test
  void aSimulatedOutageFailsAttemptsWithoutARequest(Vertx vertx) {
    ep = endpoint(vertx, 0);
    ep.reply(ConnectivityEndpoint.Reply.status(200));
    rig = new SyncRig(vertx).boot(new ConnectivityConfig(ep.uri(), null, ca.balenaRootCA()));
    assertEquals(HttpsSyncResult.UNEXPECTED_STATUS, rig.attempt(1).result());
    get(rig.dev.bus().request(HttpsTopics.SET_SIM_NETWORK, new SimNetworkChange(false, "test")));
    ep.reply(ConnectivityEndpoint.Reply.noContent());
    rig.advance();
    HttpsSyncAttempt second = rig.attempt(2);
    assertEquals(HttpsSyncResult.CONNECTION_FAILED, second.result());
    assertEquals("network is down", second.detail());
    assertEquals(1, ep.requests());
    get(rig.dev.bus().request(HttpsTopics.SET_SIM_NETWORK, new SimNetworkChange(true, "test")));
    rig.advance();
    assertEquals(HttpsSyncResult.SYNCHRONISED, rig.attempt(3).result());
    rig.reached();
  }

  /**
   * First boot with the network down (boot-order.md "First boot, no RTC, no network"):
   * network.target is NetworkManager started, so timesync-https runs at once and polls with the
   * spec's back-off, making no request while the link is down; the link comes up and the next
   * attempt synchronises.
   */
  @Test
  void networkDownAtFirstBootPollsWithTheBackOffFromTheStart(Vertx vertx) {
    ep = endpoint(vertx, 0);
    rig = new SyncRig(vertx, SyncRig.BUILD_TIME, false, true).boot(new ConnectivityConfig(ep.uri(), null, ca.balenaRootCA()));
    for (int n = 1; n <= 4; n++) {
      if (n > 1) {
        rig.advance();
      }
      HttpsSyncAttempt a = rig.attempt(n);
      assertEquals(HttpsSyncResult.CONNECTION_FAILED, a.result());
      assertEquals("network is down", a.detail());
      assertEquals(DELAYS_S.get(n - 1) * 1000, a.nextDelayMillis(), "delay after attempt " + n);
      assertEquals(UnitState.WAITING, rig.state("network-service"));
    }
    assertEquals(0, ep.requests(), "no request while the link is down");
    get(rig.dev.bus().request(HttpsTopics.SET_SIM_NETWORK, new SimNetworkChange(true, "test")));
    rig.advance();
    assertEquals(HttpsSyncResult.SYNCHRONISED, rig.attempt(5).result());
    rig.reached();
  }

  /**
   * Boots, sees 7 failures of {@code kind} with the spec's delays between them (asserted on
   * virtual time), then {@code heal}s the server and sees the 8th attempt synchronise.
   */
  private void failSevenTimesThenSucceed(Vertx vertx, String uri, HttpsSyncResult kind, boolean silent, Runnable heal) {
    rig = new SyncRig(vertx).boot(new ConnectivityConfig(uri, null, ca.balenaRootCA()));
    for (int n = 1; n <= DELAYS_S.size() + 1; n++) {
      if (n == DELAYS_S.size() + 1) {
        heal.run();
      }
      if (n > 1) {
        rig.advance(); // the retry timer: attempt n starts
      }
      if (silent && n <= DELAYS_S.size()) {
        int expected = n;
        get(rig.until(() -> ep.requests() >= expected)); // the request is at the server, unanswered
        rig.advance(); // the 10 s cap
      }
      HttpsSyncAttempt a = rig.attempt(n);
      if (n <= DELAYS_S.size()) {
        assertEquals(kind, a.result(), "attempt " + n + ": " + a.detail());
        assertEquals(DELAYS_S.get(n - 1) * 1000, a.nextDelayMillis(), "delay after attempt " + n);
        assertEquals(silent ? 10_000 : 0, a.endedUptimeMillis() - a.startedUptimeMillis(), "attempt " + n + " length");
        assertFalse(rig.isReached());
        assertEquals(UnitState.WAITING, rig.state("network-service"));
      } else {
        assertEquals(HttpsSyncResult.SYNCHRONISED, a.result(), a.detail());
      }
      if (n > 1) {
        HttpsSyncAttempt previous = rig.attempts.get(n - 2);
        assertEquals(DELAYS_S.get(n - 2) * 1000, a.startedUptimeMillis() - previous.endedUptimeMillis(),
            "virtual time between attempts " + (n - 1) + " and " + n);
      }
    }
    rig.reached();
    get(rig.dev.awaitUnit("network-service", UnitState.EXITED));
    var status = rig.dev.bus().latest(HttpsTopics.STATUS).orElseThrow();
    assertEquals(8, status.attempts());
    assertEquals(7L, status.attemptsByResult().get(kind.label()));
    assertTrue(rig.dev.logged("timesync-https", "Time synchronised via HTTPS."));
  }
}
