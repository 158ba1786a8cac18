package io.hostmesh.fleet;

import io.hostmesh.platform.HttpsProbe;
import io.hostmesh.platform.Scheduler;
import io.hostmesh.platform.Timer;
import io.hostmesh.schema.https.HttpsSyncResult;
import io.hostmesh.unit.support.HttpDate;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongPredicate;

/**
 * The connectivity endpoint as a fleet sees it, on virtual time: answers {@code 204} with a true
 * {@code Date} after a lognormal latency, except in its outage windows (connection refused, or no
 * answer at all), its captive-portal windows ({@code 200} with the Date missing or wrong), above
 * its capacity ({@code 503} for the requests past {@code capacity} in one second) and when its
 * certificate is not trusted (TLS refused). A request that does not reach it (the device's link
 * down, a lost packet) gets no answer ({@code connection failed} at once, or the 10 s cap).
 *
 * <p>Partitions run independently, so each gets the share of the endpoint's capacity that its
 * devices are of the fleet; everything else is the same for every partition.
 */
final class HttpsEndpoint {
  /** timesync-https's {@code curl -m10}. */
  static final long CAP_MILLIS = 10_000;
  private static final String WRONG_DATE = "Sat, 01 Jan 2000 00:00:00 GMT";

  record Window(long from, long to, String mode) {
    boolean covers(long t) {
      return t >= from && t < to;
    }

    /** Whether a window of {@code windows} covers {@code t}: a loop, as chronyd's model asks on every poll. */
    static boolean anyCovers(List<Window> windows, long t) {
      for (int i = 0; i < windows.size(); i++) {
        if (windows.get(i).covers(t)) {
          return true;
        }
      }
      return false;
    }
  }

  private final double medianMs;
  private final double sigma;
  private final double loss;
  private final long capacity;
  private final boolean trusted;
  private final List<Window> outages;
  private final List<Window> captive;
  private final Measure measure;
  private long second = -1;
  private long inSecond;

  interface Measure {
    void request(long virtualMillis, boolean rejected);
  }

  /**
   * @param capacity requests per second this partition's devices get (0: unlimited)
   * @param outages windows in virtual ms; mode {@code refused} or {@code timeout}
   * @param captive windows in virtual ms; mode {@code missing} or {@code wrong} (the Date)
   */
  HttpsEndpoint(double medianMs, double p99Ms, double loss, long capacity, boolean trusted, List<Window> outages,
      List<Window> captive, Measure measure) {
    this.medianMs = Math.max(1, medianMs);
    this.sigma = p99Ms > medianMs ? Math.log(p99Ms / medianMs) / 2.326 : 0;
    this.loss = loss;
    this.capacity = capacity;
    this.trusted = trusted;
    this.outages = List.copyOf(outages);
    this.captive = List.copyOf(captive);
    this.measure = measure;
  }

  /** Whether the endpoint is out at virtual time {@code t}. */
  boolean down(long t) {
    return Window.anyCovers(outages, t);
  }

  /** A device's client of this endpoint. */
  HttpsProbe client(Scheduler scheduler, SplittableRandom rng, LongPredicate linkUp, java.util.function.LongSupplier now,
      java.util.function.LongSupplier trueMillis) {
    return new HttpsProbe() {
      private Timer pending;
      private Promise<Answer> waiting;

      @Override
      public Future<Answer> head(URI uri, String balenaRootCA) {
        long t = now.getAsLong();
        Promise<Answer> p = Promise.promise();
        waiting = p;
        if (!linkUp.test(t)) {
          return Future.succeededFuture(Answer.failed(HttpsSyncResult.CONNECTION_FAILED, "Network is unreachable"));
        }
        if (rng.nextDouble() < loss) {
          return later(p, CAP_MILLIS, Answer.failed(HttpsSyncResult.TIMED_OUT, "no answer within 10 s"));
        }
        long latency = Math.max(1, Math.round(medianMs * Math.exp(sigma * rng.nextGaussian())));
        Window out = outages.stream().filter(w -> w.covers(t)).findFirst().orElse(null);
        boolean rejected = false;
        Answer a;
        if (out != null) {
          a = out.mode().equals("timeout") ? null : Answer.failed(HttpsSyncResult.CONNECTION_FAILED,
              "ConnectException: Connection refused");
          latency = a == null ? CAP_MILLIS : Math.min(latency, CAP_MILLIS);
          if (a == null) {
            a = Answer.failed(HttpsSyncResult.TIMED_OUT, "no answer within 10 s");
          }
        } else if (!trusted) {
          a = Answer.failed(HttpsSyncResult.TLS_REFUSED, "PKIX path building failed: unable to find valid certification path");
        } else if (overCapacity(t)) {
          rejected = true;
          a = Answer.response(503, HttpDate.format(Instant.ofEpochMilli(trueMillis.getAsLong() + latency)),
              "Service Unavailable");
        } else {
          Window portal = captive.stream().filter(w -> w.covers(t)).findFirst().orElse(null);
          a = portal == null ? null
              : Answer.response(200, portal.mode().equals("wrong") ? WRONG_DATE : null, "OK");
        }
        measure.request(t, rejected);
        if (latency >= CAP_MILLIS) {
          return later(p, CAP_MILLIS, Answer.failed(HttpsSyncResult.TIMED_OUT, "no answer within 10 s"));
        }
        if (a == null) {
          // the Date is the server's time when it answers: half way through the round trip
          long rtt = latency;
          pending = scheduler.schedule(java.time.Duration.ofMillis(rtt), () -> p.tryComplete(
              Answer.response(204, HttpDate.format(Instant.ofEpochMilli(trueMillis.getAsLong() - rtt / 2)),
                  "No Content")));
          return p.future();
        }
        return later(p, latency, a);
      }

      private Future<Answer> later(Promise<Answer> p, long millis, Answer a) {
        pending = scheduler.schedule(java.time.Duration.ofMillis(millis), () -> p.tryComplete(a));
        return p.future();
      }

      @Override
      public void close() {
        if (pending != null) {
          pending.cancel();
        }
        if (waiting != null) {
          waiting.tryComplete(Answer.failed(HttpsSyncResult.CONNECTION_FAILED, "closed"));
        }
      }
    };
  }

  private boolean overCapacity(long t) {
    if (capacity <= 0) {
      return false;
    }
    long s = t / 1000;
    if (s != second) {
      second = s;
      inSecond = 0;
    }
    return ++inSecond > capacity;
  }
}
