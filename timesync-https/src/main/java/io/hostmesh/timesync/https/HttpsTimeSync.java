package io.hostmesh.timesync.https;

import io.hostmesh.platform.HttpsProbe;
import io.hostmesh.platform.HttpsProbe.Answer;
import io.hostmesh.platform.SystemClock;
import io.hostmesh.unit.support.HttpDate;

import io.hostmesh.bus.Subscription;
import io.hostmesh.platform.Timer;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.Projections.ConnectivityConfig;
import io.hostmesh.schema.https.HttpsSyncAttempt;
import io.hostmesh.schema.https.HttpsSyncResult;
import io.hostmesh.schema.https.HttpsSyncStatus;
import io.hostmesh.schema.https.HttpsTopics;
import io.hostmesh.schema.https.SimFirewall;
import io.hostmesh.schema.targets.NetworkState;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.hostmesh.unit.support.BuildTime;
import io.hostmesh.unit.support.TimeFormats;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * timesync-https: sets the clock from the {@code Date} header of a {@code 204} answer of the
 * connectivity URI, retrying for ever, and so holds every unit that requires
 * {@code time-sync-https-wait} (chronyd, fake-hwclock's hourly save) until it ends
 * (spec/units.md §timesync-https, boot-order.md).
 *
 * <p>Deliberate differences from the original: the server's certificate is verified against
 * the system CAs plus {@code balenaRootCA} (the original runs {@code curl -k}), without
 * enforcing validity dates ({@link ClockTolerantTrustManager}); a Date earlier than the build
 * time is refused; a URI that is not {@code https://} is skipped rather than trusted; the system
 * time is sampled when the answer arrives, not before the request; the URI is re-read from
 * config before every attempt; a simulated network outage fails attempts without a request.
 *
 * <p>Threading: everything runs on the unit's event loop; {@code start()} completes when the
 * sync ends, whatever the outcome.
 */
public final class HttpsTimeSync extends UnitVerticle {
  /** timesync-https.sh: EXPECTED_SERVER_CODE=204 (a captive portal answers 200). */
  static final int EXPECTED_STATUS = 204;
  /** timesync-https.sh: HTTPS_POLL_DELAY=2, doubled while below MAX_HTTPS_POLL_DELAY=64. */
  static final Duration FIRST_DELAY = Duration.ofSeconds(2);
  static final Duration MAX_DELAY = Duration.ofSeconds(64);
  /** timesync-https.sh: curl -m10. */
  static final Duration REQUEST_CAP = Duration.ofSeconds(10);
  /** timesync-https.sh: TIME_DIFF_THRESHOLD=2 (whole seconds). */
  static final long THRESHOLD_SECONDS = 2;

  public static final UnitDescriptor DESCRIPTOR = UnitDescriptor.named("timesync-https")
      .description("Sync time over HTTPS (Date header) before network services start")
      .oneshot()
      .requires(Targets.TIME_SET)
      // network.target = NetworkManager started, not online (spec/units.md §timesync-https): with
      // the link down the unit polls and fails with the 2, 4, 8 ... 64 s back-off from the start
      .requires(Targets.NETWORK)
      .requires(ConfigTopics.CONNECTIVITY)
      .provides(Targets.TIME_SYNC_HTTPS_WAIT)
      .publishes(HttpsTopics.STATUS)
      .build();

  private final Promise<Void> done = Promise.promise();
  private final Map<HttpsSyncResult, Long> byResult = new EnumMap<>(HttpsSyncResult.class);
  private ConnectivityConfig config;
  private NetworkState network;
  private Subscription configSub;
  private Subscription networkSub;
  private Subscription firewallSub;
  /** Sim: the rules iptables left over SSH; null when none was ever added. */
  private SimFirewall firewall;
  private HttpsProbe probe;
  private Timer retry;
  private Duration delay = FIRST_DELAY;
  private int attempts;
  private String lastReason = "";
  private Instant lastServerTime;
  private long lastOffsetMillis;
  private boolean stopped;
  private String lastWarning = "";

  @Override
  public UnitDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public Future<?> start() {
    unit().log().info("Starting HTTPS time synchronisation.");
    // a platform that models the endpoint (the fleet) hands its own; else the real verified client
    probe = unit().platform().https().orElseGet(
        () -> new DateProbe(vertx, unit().scheduler(), REQUEST_CAP, () -> unit().clock().now(), this::warnOnce));
    // the URI is read before every attempt, so a config change reaches the next one
    configSub = unit().bus().subscribe(ConfigTopics.CONNECTIVITY, c -> config = c);
    networkSub = unit().bus().subscribe(Targets.NETWORK, n -> network = n);
    firewallSub = unit().bus().subscribe(HttpsTopics.SIM_FIREWALL, f -> firewall = f);
    Future.all(configSub.completion(), networkSub.completion(), firewallSub.completion())
        .onSuccess(v -> attempt())
        .onFailure(done::tryFail);
    return done.future();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    if (retry != null) {
      retry.cancel();
    }
    if (probe != null) {
      probe.close();
    }
    return Future.all(cancel(configSub), cancel(networkSub), cancel(firewallSub));
  }

  private static Future<Void> cancel(Subscription s) {
    return s == null ? Future.succeededFuture() : s.cancel();
  }

  private void attempt() {
    if (stopped || done.future().isComplete()) {
      return;
    }
    Optional<String> text = config == null ? Optional.empty() : config.effectiveUri();
    if (text.isEmpty()) {
      unit().log().warn("Connectivity URL not defined - skipping HTTPS synchronisation.");
      finish(HttpsSyncResult.SKIPPED, null, "no connectivity URL", 0);
      return;
    }
    URI uri;
    try {
      uri = new URI(text.get());
    } catch (URISyntaxException e) {
      unit().log().warn("Connectivity URL is not a valid URL - skipping HTTPS synchronisation.");
      finish(HttpsSyncResult.SKIPPED, text.get(), "invalid URL: " + e.getMessage(), 0);
      return;
    }
    if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      // an unauthenticated answer must not set the clock; NTP (chronyd) takes over instead
      unit().log().warn("Connectivity URL is not an https:// URL - skipping HTTPS synchronisation.");
      finish(HttpsSyncResult.SKIPPED, uri.toString(), "not an https URL", 0);
      return;
    }
    attempts++;
    long started = unit().scheduler().uptimeMillis();
    // the round trip is real whatever the scheduler's time is (Scheduler's one time policy)
    long startedReal = unit().scheduler().realTime().uptimeMillis();
    if (network != null && !network.online()) {
      outcome(uri, started, startedReal, Answer.failed(HttpsSyncResult.CONNECTION_FAILED, "network is down"));
      return;
    }
    if (firewall != null && firewall.httpsBlocked()) {
      // iptables -j DROP on tcp 443 over SSH (sim): the request goes unanswered until the cap
      unit().scheduler().sleep(REQUEST_CAP).onComplete(x -> outcome(uri, started, startedReal, Answer.failed(
          HttpsSyncResult.TIMED_OUT, "no answer: tcp port 443 is dropped by the sim firewall (iptables over SSH)")));
      return;
    }
    probe.head(uri, config.balenaRootCA()).onComplete(ar -> outcome(uri, started, startedReal, ar.succeeded()
        ? ar.result() : Answer.failed(HttpsSyncResult.CONNECTION_FAILED, String.valueOf(ar.cause()))));
  }

  private void outcome(URI uri, long started, long startedReal, Answer answer) {
    if (stopped || done.future().isComplete()) {
      return;
    }
    try {
      decide(uri, started, startedReal, answer);
    } catch (RuntimeException e) {
      // e.g. the clock cannot be set: the unit fails, which still releases time-sync-https-wait
      unit().log().error("HTTPS time synchronisation failed: " + e.getMessage());
      done.tryFail(e);
    }
  }

  private void decide(URI uri, long started, long startedReal, Answer answer) {
    long latencyMillis = unit().scheduler().realTime().uptimeMillis() - startedReal;
    if (!answer.answered() || answer.status() != EXPECTED_STATUS) {
      HttpsSyncResult why = answer.answered() ? HttpsSyncResult.UNEXPECTED_STATUS : answer.failure();
      retryLater(new Attempt(uri, started, latencyMillis, why, answer.status(), answer.detail(), null, 0));
      return;
    }
    Optional<Instant> server = HttpDate.parse(answer.date());
    if (server.isEmpty()) {
      unit().log().warn("HTTPS header did not return a date field.");
      unit().log().warn("System time not updated.");
      record(new Attempt(uri, started, latencyMillis, HttpsSyncResult.NO_DATE, answer.status(),
          answer.date() == null ? "no Date header" : "unusable Date header", null, 0), 0);
      finish(HttpsSyncResult.NO_DATE, uri.toString(), answer.date() == null ? "no Date header" : "unusable Date header", 0);
      return;
    }
    Instant serverTime = server.get();
    Instant system = unit().clock().now();
    long offset = serverTime.toEpochMilli() - system.toEpochMilli();
    Optional<Instant> build = BuildTime.read(unit().files());
    if (build.isPresent() && serverTime.getEpochSecond() < build.get().getEpochSecond()) {
      // deliberate difference: no real server can be earlier than this image's build
      retryLater(new Attempt(uri, started, latencyMillis, HttpsSyncResult.IMPOSSIBLE_DATE, answer.status(),
          "HTTPS header time " + TimeFormats.stamp(serverTime) + " is earlier than the build time "
              + TimeFormats.stamp(build.get()), serverTime, offset));
      return;
    }
    lastServerTime = serverTime;
    lastOffsetMillis = offset;
    long diff = Math.abs(system.getEpochSecond() - serverTime.getEpochSecond());
    if (diff <= THRESHOLD_SECONDS) {
      unit().log().info("System time is already synchronised.");
      record(new Attempt(uri, started, latencyMillis, HttpsSyncResult.ALREADY_SYNCHRONISED, answer.status(), "", serverTime, offset), 0);
      finish(HttpsSyncResult.ALREADY_SYNCHRONISED, uri.toString(), "", 0);
      return;
    }
    unit().clock().set(serverTime, "https").onSuccess(set -> {
      if (system.getEpochSecond() > serverTime.getEpochSecond()) {
        unit().log().warn("HTTPS header time is in the past.");
        unit().log().warn("Check time sources if this issue persists.");
      }
      unit().log().info("Time synchronised via HTTPS.");
      TimeFormats.logStep(unit().log(), system, serverTime);
      record(new Attempt(uri, started, latencyMillis, HttpsSyncResult.SYNCHRONISED, answer.status(), "", serverTime, offset), 0);
      writeRtc(serverTime).onComplete(v -> finish(HttpsSyncResult.SYNCHRONISED, uri.toString(), "", offset));
    }).onFailure(e -> {
      if (e instanceof SystemClock.NotSettable) {
        // no CAP_SYS_TIME: retrying or restarting cannot help; say so and release the target
        unit().log().error("HTTPS time not applied: " + e.getMessage());
        unit().status("clock not set: no CAP_SYS_TIME");
        record(new Attempt(uri, started, latencyMillis, HttpsSyncResult.CLOCK_NOT_SETTABLE, answer.status(),
            e.getMessage(), serverTime, offset), 0);
        finish(HttpsSyncResult.CLOCK_NOT_SETTABLE, uri.toString(), e.getMessage(), 0);
        return;
      }
      // the unit fails, which still releases time-sync-https-wait
      unit().log().error("HTTPS time synchronisation failed: cannot set the system clock: " + e.getMessage());
      done.tryFail(e);
    });
  }

  /** The original writes the RTC and ignores a failure ({@code || true}): reported, otherwise ignored. */
  private Future<Void> writeRtc(Instant time) {
    if (!unit().rtc().present()) {
      return Future.succeededFuture();
    }
    return unit().rtc().write(time).recover(e -> {
      unit().log().warn("Cannot write the RTC: " + e.getMessage());
      return Future.succeededFuture();
    });
  }

  private void retryLater(Attempt a) {
    Duration wait = delay;
    // spec: sleep the current delay, then double it while < 64 s: 2, 4, 8, 16, 32, 64, 64, ...
    if (delay.compareTo(MAX_DELAY) < 0) {
      delay = delay.multipliedBy(2);
    }
    retry = unit().scheduler().schedule(wait, this::attempt);
    String reason = a.result.label() + ": " + a.detail;
    if (!reason.equals(lastReason)) {
      // the original is silent here (curl -s); one line per change of reason, not per attempt
      String line = "HTTPS time source not usable (" + a.detail + ") - retrying.";
      if (a.result == HttpsSyncResult.TLS_REFUSED || a.result == HttpsSyncResult.IMPOSSIBLE_DATE) {
        unit().log().warn(line);
      } else {
        unit().log().info(line);
      }
      lastReason = reason;
    }
    record(a, wait.toMillis());
    unit().bus().publish(HttpsTopics.STATUS, status(false, a.result, a.uri.toString(), a.detail, 0));
  }

  private void record(Attempt a, long nextDelayMillis) {
    byResult.merge(a.result, 1L, Long::sum);
    unit().bus().publish(HttpsTopics.ATTEMPT, new HttpsSyncAttempt(attempts, a.uri.toString(), a.result, a.status,
        a.detail, a.serverTime, a.offsetMillis, a.started, unit().scheduler().uptimeMillis(), a.latencyMillis,
        nextDelayMillis));
  }

  private void finish(HttpsSyncResult result, String uri, String detail, long stepMillis) {
    if (done.future().isComplete()) {
      return;
    }
    unit().bus().publish(HttpsTopics.STATUS, status(true, result, uri, detail, stepMillis));
    done.complete();
  }

  private HttpsSyncStatus status(boolean finished, HttpsSyncResult result, String uri, String detail, long stepMillis) {
    Map<String, Long> counts = new TreeMap<>();
    byResult.forEach((k, v) -> counts.put(k.label(), v));
    return new HttpsSyncStatus(finished, result, uri, attempts, lastServerTime, lastOffsetMillis, stepMillis, detail,
        counts, unit().clock().now(), unit().scheduler().uptimeMillis());
  }

  private void warnOnce(String message) {
    if (!message.equals(lastWarning)) {
      lastWarning = message;
      unit().log().warn(message);
    }
  }

  /** One request and what it came to. */
  private record Attempt(URI uri, long started, long latencyMillis, HttpsSyncResult result, int status, String detail,
      Instant serverTime, long offsetMillis) {}
}
