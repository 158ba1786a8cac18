package io.hostmesh.timesync.https;

import io.hostmesh.demo.ThrowawayCa;
import io.hostmesh.demo.ServerCertificate;
import io.hostmesh.demo.ConnectivityEndpoint;

import static io.hostmesh.timesync.https.SyncRig.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.Projections.ConnectivityConfig;
import io.hostmesh.schema.https.HttpsSyncAttempt;
import io.hostmesh.schema.https.HttpsSyncResult;
import io.hostmesh.schema.https.HttpsSyncStatus;
import io.hostmesh.schema.https.HttpsTopics;
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

/** timesync-https against a real Vert.x HTTPS server on 127.0.0.1, on virtual time. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class HttpsTimeSyncIT {
  private static final Duration DAY = Duration.ofDays(1);
  private static ThrowawayCa ca;
  private SyncRig rig;
  private ConnectivityEndpoint ep;

  @BeforeAll
  static void authority() {
    ca = ThrowawayCa.create("timesync-https test CA");
  }

  @AfterEach
  void tearDown() {
    SyncRig.closeBoth(rig, ep);
  }

  private ConnectivityEndpoint endpoint(Vertx vertx, ServerCertificate cert, java.util.function.Supplier<Instant> clock) {
    return get(ConnectivityEndpoint.start(vertx, cert, clock));
  }

  private static ConnectivityConfig trusted(String uri) {
    return new ConnectivityConfig(uri, null, ca.balenaRootCA());
  }

  /**
   * A device whose process lacks CAP_SYS_TIME (issue 12's container): the Date is good but the
   * clock cannot be set. Retrying cannot help, so the sync ends CLOCK_NOT_SETTABLE, says why,
   * and releases time-sync-https-wait; the unit does not fail (a failing unit would turn the mesh
   * unhealthy and get it restarted by systemd, for ever).
   */
  @Test
  void aClockThatMayNotBeSetEndsTheSyncAndReleasesNetworkServices(Vertx vertx) {
    ep = endpoint(vertx, ca.issue("127.0.0.1"), () -> Instant.now().plus(DAY));
    rig = new SyncRig(vertx, SyncRig.BUILD_TIME, false, false, p -> new NotSettableClockPlatform(p));
    rig.boot(trusted(ep.uri()));
    rig.reached();
    HttpsSyncStatus s = rig.dev.bus().latest(HttpsTopics.STATUS).orElseThrow();
    assertEquals(HttpsSyncResult.CLOCK_NOT_SETTABLE, s.result());
    assertTrue(s.finished());
    get(rig.dev.awaitUnit("timesync-https", UnitState.EXITED));
    assertEquals("clock not set: no CAP_SYS_TIME", rig.dev.mesh().unit("timesync-https").orElseThrow().detail());
    assertTrue(rig.dev.logged("timesync-https", "HTTPS time not applied: "));
    get(rig.dev.awaitUnit("network-service", UnitState.EXITED));
  }

  /** The sim platform with a system clock that refuses every set as a process without CAP_SYS_TIME would. */
  private record NotSettableClockPlatform(io.hostmesh.platform.Platform sim) implements io.hostmesh.platform.Platform {
    @Override public io.hostmesh.platform.Profile profile() { return sim.profile(); }
    @Override public io.hostmesh.platform.HostFiles files() { return sim.files(); }
    @Override public io.hostmesh.platform.Rtc rtc() { return sim.rtc(); }
    @Override public io.hostmesh.platform.Processes processes() { return sim.processes(); }
    @Override public io.hostmesh.platform.Scheduler scheduler() { return sim.scheduler(); }
    @Override public io.hostmesh.platform.SystemClock clock() {
      io.hostmesh.platform.SystemClock real = sim.clock();
      return new io.hostmesh.platform.SystemClock() {
        @Override public Instant now() { return real.now(); }
        @Override public io.vertx.core.Future<io.hostmesh.schema.time.ClockSet> set(Instant time, String source) {
          return io.vertx.core.Future.failedFuture(new NotSettable("cannot set the system clock: this process lacks CAP_SYS_TIME"));
        }
        @Override public java.util.Optional<io.hostmesh.schema.time.ClockSet> lastSet() { return real.lastSet(); }
      };
    }
  }

  @Test
  void aDayAheadSetsClockAndRtcThenReleasesNetworkServices(Vertx vertx) {
    ep = endpoint(vertx, ca.issue("127.0.0.1"), () -> Instant.now().plus(DAY));
    rig = new SyncRig(vertx, SyncRig.BUILD_TIME, true);
    rig.boot(trusted(ep.uri()));
    rig.reached();
    Instant now = rig.now();
    assertTrue(Duration.between(Instant.now().plus(DAY), now).abs().toSeconds() < 5, "clock now " + now);
    assertEquals("https", rig.dev.mesh().platform().clock().lastSet().orElseThrow().source());
    Instant rtc = get(rig.dev.mesh().platform().rtc().read()).orElseThrow();
    assertTrue(Duration.between(now, rtc).abs().toSeconds() < 5, "rtc " + rtc);
    assertTrue(rig.dev.logged("timesync-https", "Time synchronised via HTTPS."));
    assertTrue(rig.dev.logged("timesync-https", "New time: "));
    get(rig.dev.awaitUnit("network-service", UnitState.EXITED));
    assertTrue(rig.when("timesync-https", UnitState.EXITED) < rig.when("network-service", UnitState.ACTIVATING));
    HttpsSyncStatus s = rig.dev.bus().latest(HttpsTopics.STATUS).orElseThrow();
    assertTrue(s.finished());
    assertEquals(HttpsSyncResult.SYNCHRONISED, s.result());
    assertEquals(1, s.attempts());
    assertTrue(s.clockStepMillis() > DAY.toMillis() - 5000, "step " + s.clockStepMillis());
    assertEquals(1L, s.attemptsByResult().get("synchronised"));
  }

  @Test
  void aServerBehindStillSetsTheClockWithAWarning(Vertx vertx) {
    ep = endpoint(vertx, ca.issue("127.0.0.1"), () -> Instant.now().minus(DAY));
    rig = new SyncRig(vertx).boot(trusted(ep.uri()));
    rig.reached();
    assertTrue(rig.dev.logged("timesync-https", "HTTPS header time is in the past."));
    assertTrue(rig.dev.logged("timesync-https", "Check time sources if this issue persists."));
    assertTrue(rig.now().isBefore(Instant.now().minus(DAY).plusSeconds(5)));
  }

  @Test
  void withinTwoSecondsNothingChanges(Vertx vertx) {
    rig = new SyncRig(vertx);
    ep = endpoint(vertx, ca.issue("127.0.0.1"), () -> rig.now().plusSeconds(1));
    rig.boot(trusted(ep.uri()));
    rig.reached();
    assertTrue(rig.dev.logged("timesync-https", "System time is already synchronised."));
    assertTrue(rig.dev.mesh().platform().clock().lastSet().isEmpty());
    assertEquals(HttpsSyncResult.ALREADY_SYNCHRONISED, rig.dev.bus().latest(HttpsTopics.STATUS).orElseThrow().result());
  }

  @Test
  void noDateHeaderWarnsAndReleases(Vertx vertx) {
    ep = endpoint(vertx, ca.issue("127.0.0.1"), Instant::now);
    ep.reply(ConnectivityEndpoint.Reply.noContentWithDate(null));
    rig = new SyncRig(vertx).boot(trusted(ep.uri()));
    rig.reached();
    assertTrue(rig.dev.logged("timesync-https", "HTTPS header did not return a date field."));
    assertTrue(rig.dev.logged("timesync-https", "System time not updated."));
    assertTrue(rig.dev.mesh().platform().clock().lastSet().isEmpty());
  }

  @Test
  void garbageDateHeaderWarnsAndReleases(Vertx vertx) {
    ep = endpoint(vertx, ca.issue("127.0.0.1"), Instant::now);
    ep.reply(ConnectivityEndpoint.Reply.noContentWithDate("yesterday; rm -rf /"));
    rig = new SyncRig(vertx).boot(trusted(ep.uri()));
    rig.reached();
    assertTrue(rig.dev.logged("timesync-https", "HTTPS header did not return a date field."));
    assertEquals(HttpsSyncResult.NO_DATE, rig.dev.bus().latest(HttpsTopics.STATUS).orElseThrow().result());
    assertTrue(rig.dev.mesh().platform().clock().lastSet().isEmpty());
  }

  @Test
  void nullUriSkipsAtOnceWithoutARequest(Vertx vertx) {
    ep = endpoint(vertx, ca.issue("127.0.0.1"), Instant::now);
    rig = new SyncRig(vertx).boot(new ConnectivityConfig("null", ep.baseUri(), ca.balenaRootCA()));
    rig.reached();
    assertTrue(rig.dev.logged("timesync-https", "Connectivity URL not defined - skipping HTTPS synchronisation."));
    assertEquals(0, ep.requests());
    assertTrue(rig.attempts.isEmpty());
    assertEquals(HttpsSyncResult.SKIPPED, rig.dev.bus().latest(HttpsTopics.STATUS).orElseThrow().result());
  }

  @Test
  void nothingToDefaultToSkips(Vertx vertx) {
    rig = new SyncRig(vertx).boot(new ConnectivityConfig(null, "", null));
    rig.reached();
    assertTrue(rig.dev.logged("timesync-https", "Connectivity URL not defined - skipping HTTPS synchronisation."));
  }

  @Test
  void plainHttpIsNeverTrustedWithTheClock(Vertx vertx) {
    rig = new SyncRig(vertx).boot(new ConnectivityConfig("http://127.0.0.1:9/connectivity-check", null, null));
    rig.reached();
    assertTrue(rig.dev.logged("timesync-https", "Connectivity URL is not an https:// URL - skipping HTTPS synchronisation."));
    assertTrue(rig.attempts.isEmpty());
  }

  @Test
  void apiEndpointDefaultIsUsedWhenTheUriIsAbsent(Vertx vertx) {
    ep = endpoint(vertx, ca.issue("127.0.0.1"), () -> Instant.now().plus(DAY));
    rig = new SyncRig(vertx).boot(new ConnectivityConfig(null, ep.baseUri(), ca.balenaRootCA()));
    rig.reached();
    assertEquals(1, ep.requests());
    assertEquals(ep.uri(), rig.attempt(1).uri());
    assertEquals(HttpsSyncResult.SYNCHRONISED, rig.attempt(1).result());
  }

  @Test
  void aDateBeforeTheBuildTimeIsRefused(Vertx vertx) {
    ep = endpoint(vertx, ca.issue("127.0.0.1"), Instant::now);
    rig = new SyncRig(vertx, "20990101000000\n", false).boot(trusted(ep.uri()));
    HttpsSyncAttempt a = rig.attempt(1);
    assertEquals(HttpsSyncResult.IMPOSSIBLE_DATE, a.result());
    assertTrue(a.detail().contains("earlier than the build time 20990101000000"), a.detail());
    assertTrue(rig.dev.mesh().platform().clock().lastSet().isEmpty());
    assertFalse(rig.isReached());
    assertEquals(UnitState.WAITING, rig.state("network-service"));
  }

  @Test
  void aNewUriInConfigIsUsedByTheNextAttempt(Vertx vertx) {
    ep = endpoint(vertx, ca.issue("127.0.0.1"), Instant::now);
    ep.reply(ConnectivityEndpoint.Reply.status(200));
    ConnectivityEndpoint good = endpoint(vertx, ca.issue("127.0.0.1"), () -> Instant.now().plus(DAY));
    try {
      rig = new SyncRig(vertx).boot(trusted(ep.uri()));
      assertEquals(HttpsSyncResult.UNEXPECTED_STATUS, rig.attempt(1).result());
      rig.dev.bus().publish(ConfigTopics.CONNECTIVITY, trusted(good.uri()));
      rig.advance();
      HttpsSyncAttempt second = rig.attempt(2);
      assertEquals(good.uri(), second.uri());
      assertEquals(HttpsSyncResult.SYNCHRONISED, second.result());
      rig.reached();
    } finally {
      get(good.close());
    }
  }

  @Test
  void untrustedCertificateIsRefusedUntilBalenaRootCaTrustsIt(Vertx vertx) {
    ThrowawayCa stranger = ThrowawayCa.create("not yet trusted CA");
    ep = endpoint(vertx, stranger.issue("127.0.0.1"), () -> Instant.now().plus(DAY));
    rig = new SyncRig(vertx).boot(new ConnectivityConfig(ep.uri(), null, null));
    HttpsSyncAttempt first = rig.attempt(1);
    assertEquals(HttpsSyncResult.TLS_REFUSED, first.result());
    assertEquals(2000, first.nextDelayMillis());
    assertTrue(rig.dev.mesh().platform().clock().lastSet().isEmpty());
    assertEquals(UnitState.WAITING, rig.state("network-service"));
    rig.dev.bus().publish(ConfigTopics.CONNECTIVITY, new ConnectivityConfig(ep.uri(), null, stranger.balenaRootCA()));
    rig.advance();
    assertEquals(HttpsSyncResult.SYNCHRONISED, rig.attempt(2).result());
    rig.reached();
  }

  @Test
  void anExpiredButOtherwiseValidCertificateIsAccepted(Vertx vertx) {
    Instant now = Instant.now();
    ServerCertificate expired = ca.issue(List.of("127.0.0.1"), now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(35)));
    ep = endpoint(vertx, expired, () -> Instant.now().plus(DAY));
    rig = new SyncRig(vertx).boot(trusted(ep.uri()));
    rig.reached();
    assertEquals(HttpsSyncResult.SYNCHRONISED, rig.attempt(1).result());
    assertTrue(rig.dev.logged("timesync-https", "certificate dates not valid at device time"));
  }

  @Test
  void aWrongHostnameIsRefused(Vertx vertx) {
    ep = endpoint(vertx, ca.issue("time.example.org"), () -> Instant.now().plus(DAY));
    rig = new SyncRig(vertx).boot(trusted(ep.uri()));
    HttpsSyncAttempt first = rig.attempt(1);
    assertEquals(HttpsSyncResult.TLS_REFUSED, first.result());
    assertTrue(first.detail().contains("does not match host 127.0.0.1"), first.detail());
    assertTrue(rig.dev.logged("timesync-https", "does not match host 127.0.0.1"));
    assertFalse(rig.isReached());
  }

  @Test
  void aMalformedBalenaRootCaIsReportedAndIgnored(Vertx vertx) {
    ep = endpoint(vertx, ca.issue("127.0.0.1"), Instant::now);
    rig = new SyncRig(vertx).boot(new ConnectivityConfig(ep.uri(), null, "not base64 !!"));
    assertEquals(HttpsSyncResult.TLS_REFUSED, rig.attempt(1).result());
    assertTrue(rig.dev.logged("timesync-https", "balenaRootCA ignored: not base64"));
  }

  @Test
  void aStatusRecordIsLatchedWhileRetrying(Vertx vertx) {
    ep = endpoint(vertx, ca.issue("127.0.0.1"), Instant::now);
    ep.reply(ConnectivityEndpoint.Reply.status(500));
    rig = new SyncRig(vertx).boot(trusted(ep.uri()));
    rig.attempt(1);
    HttpsSyncStatus s = get(rig.dev.await(HttpsTopics.STATUS, x -> x.attempts() == 1));
    assertFalse(s.finished());
    assertEquals(HttpsSyncResult.UNEXPECTED_STATUS, s.result());
    assertEquals("HTTP 500 Internal Server Error", s.detail());
    assertEquals(1L, s.attemptsByResult().get("unexpected_status"));
    assertNotNull(s.wallTime());
  }
}
