package io.hostmesh.timesync.https;

import io.hostmesh.platform.HttpsProbe;
import io.hostmesh.platform.Scheduler;
import io.hostmesh.platform.Timer;
import io.hostmesh.schema.https.HttpsSyncResult;
import io.hostmesh.unit.support.TlsWarmup;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * One {@code HEAD} request to the connectivity URI, as {@code curl -m10 -I} in the original but
 * with the server's certificate verified ({@link ClockTolerantTrustManager}).
 *
 * <p>The 10 s cap runs on the {@link Scheduler}, so under virtual time it expires when the test
 * advances time; when it fires the client is shut down at once, dropping the hung connection (a
 * real-time Vert.x timeout a little longer is only a backstop). Each
 * request opens a new connection (no keep-alive), so every attempt makes a full TLS handshake and
 * a changed balenaRootCA applies at once. Redirects are not followed (curl -I does not either).
 *
 * <p>The real {@link HttpsProbe}; a platform may hand the unit a model instead ({@code Platform#https()}).
 *
 * <p>Threading: call from one event loop (the unit's); answers complete on it. Not thread-safe.
 */
final class DateProbe implements HttpsProbe {
  /** Real-time margin after the scheduler's cap before Vert.x drops the connection. */
  static final Duration RECLAIM_MARGIN = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final Scheduler scheduler;
  private final Duration cap;
  private final Supplier<Instant> deviceClock;
  private final Consumer<String> warn;
  private String clientHost;
  private String clientCa;
  private HttpClient http;
  private WebClient client;
  /** How often {@link #close} was called: a client made across a close is dropped. */
  private int closes;

  /**
   * @param cap how long to wait for an answer (10 s in the original)
   * @param deviceClock the device's system time, the first date certificates are checked at
   * @param warn told about an ignored balenaRootCA and about certificates accepted despite their dates
   */
  DateProbe(Vertx vertx, Scheduler scheduler, Duration cap, Supplier<Instant> deviceClock, Consumer<String> warn) {
    this.vertx = vertx;
    this.scheduler = scheduler;
    this.cap = cap;
    this.deviceClock = deviceClock;
    this.warn = warn;
  }

  /** Sends the request; the future always succeeds, with an answer or the reason there was none. */
  @Override
  public Future<Answer> head(URI uri, String balenaRootCA) {
    Promise<Answer> answer = Promise.promise();
    Timer capTimer = scheduler.schedule(cap, () -> {
      if (answer.tryComplete(Answer.failed(HttpsSyncResult.TIMED_OUT, "no answer within " + cap.toSeconds() + " s"))) {
        close(); // drops the hung connection now; the next attempt makes a new client
      }
    });
    clientFor(uri.getHost(), balenaRootCA).onComplete(made -> {
      if (answer.future().isComplete()) {
        return; // the cap expired while the client was being made
      }
      if (made.failed()) {
        // a broken class path must show up as a reason in the status, not as a sync hung for ever
        capTimer.cancel();
        answer.tryComplete(Answer.failed(HttpsSyncResult.CONNECTION_FAILED, "cannot set up the request: " + made.cause()));
        return;
      }
      made.result().requestAbs(HttpMethod.HEAD, uri.toString())
          .timeout(cap.plus(RECLAIM_MARGIN).toMillis())
          .send()
          .onComplete(ar -> {
            capTimer.cancel();
            answer.tryComplete(ar.succeeded()
                ? Answer.response(ar.result().statusCode(), ar.result().getHeader("Date"), ar.result().statusMessage())
                : classify(ar.cause()));
          });
    });
    return answer.future();
  }

  /**
   * One client per (host, balenaRootCA): the trust manager knows the host it must find in the
   * certificate. A new one is made after reading the trust store and balenaRootCA on a worker,
   * with the JVM's TLS classes initialised there first ({@link TlsWarmup}): on the event loop
   * that is up to half a second on a small board.
   */
  private Future<WebClient> clientFor(String host, String balenaRootCA) {
    if (client != null && Objects.equals(host, clientHost) && Objects.equals(balenaRootCA, clientCa)) {
      return Future.succeededFuture(client);
    }
    // a problem with balenaRootCA is told on this loop, where the unit's log is written
    String[] problem = {""};
    int closesBefore = closes;
    WebClientOptions options = new WebClientOptions()
        .setVerifyHost(true)
        .setKeepAlive(false)
        .setFollowRedirects(false)
        .setConnectTimeout((int) cap.toMillis())
        .setUserAgent("hostmesh-timesync-https")
        // the handshake's heavy steps (the server's chain checked, key agreement) on a worker
        .setSslEngineOptions(new JdkSSLEngineOptions().setUseWorkerThread(true));
    // so the trust manager, which runs in those steps, tells its warnings on this loop
    Context loop = vertx.getOrCreateContext();
    Consumer<String> tolerated = message -> loop.runOnContext(v -> warn.accept(message));
    return vertx.executeBlocking(() -> {
      TlsWarmup.run();
      TrustAnchors trust = TrustAnchors.of(balenaRootCA, true);
      problem[0] = trust.problem();
      options.setTrustOptions(new FixedTrustOptions(new ClockTolerantTrustManager(trust, host, deviceClock, tolerated)));
      // a Vert.x client may be made on any thread; its requests run on the caller's context
      return vertx.createHttpClient(options);
    }, false).compose(made -> {
      if (closes != closesBefore) {
        // closed (the cap expired, the unit stopped) while it was being made: nobody will use it
        made.shutdown(0, TimeUnit.MILLISECONDS);
        return Future.failedFuture("closed while the client was being made");
      }
      close();
      if (!problem[0].isEmpty()) {
        warn.accept(problem[0]);
      }
      http = made;
      client = WebClient.wrap(made, options);
      clientHost = host;
      clientCa = balenaRootCA;
      return Future.succeededFuture(client);
    });
  }

  static Answer classify(Throwable failure) {
    CertificateException cert = null;
    SSLException ssl = null;
    TimeoutException timeout = null;
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof CertificateException c && cert == null) {
        cert = c;
      } else if (t instanceof SSLException s && ssl == null) {
        ssl = s;
      } else if (t instanceof TimeoutException to && timeout == null) {
        timeout = to;
      }
      if (t.getCause() == null) {
        break;
      }
    }
    if (cert != null) {
      return Answer.failed(HttpsSyncResult.TLS_REFUSED, String.valueOf(cert.getMessage()));
    }
    if (ssl != null) {
      return Answer.failed(HttpsSyncResult.TLS_REFUSED, String.valueOf(ssl.getMessage()));
    }
    if (timeout != null || failure.getClass().getSimpleName().contains("Timeout")) {
      return Answer.failed(HttpsSyncResult.TIMED_OUT, String.valueOf(failure.getMessage()));
    }
    return Answer.failed(HttpsSyncResult.CONNECTION_FAILED,
        failure.getClass().getSimpleName() + ": " + failure.getMessage());
  }

  /** Closes the HTTP client and drops its connections at once (no graceful wait for a hung request). */
  @Override
  public void close() {
    closes++;
    if (http != null) {
      http.shutdown(0, TimeUnit.MILLISECONDS);
      http = null;
      client = null;
    }
  }
}
