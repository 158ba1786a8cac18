package io.hostmesh.timesync.https;

import io.hostmesh.unit.support.BuildTime;

import io.hostmesh.demo.ThrowawayCa;
import io.hostmesh.demo.ConnectivityEndpoint;

import io.hostmesh.platform.VertxScheduler;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.Projections.ConnectivityConfig;
import io.hostmesh.schema.targets.Target;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.units.network.NetworkUnit;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Measures, against a local {@link ConnectivityEndpoint} on 127.0.0.1 (real time):
 * (1) mesh start → time-sync-https-wait latched (network unit + timesync-https, clock stepped a day);
 * (2) one HEAD + Date sync with verified TLS ({@link DateProbe}, new connection each time) against
 * {@code curl -k -I -s -m10} to the same URL, in the same run.
 *
 * <p>Run: {@code ./bench.sh timesync-https io.hostmesh.timesync.https.TimesyncHttpsBenchmark [boots] [requests]}
 */
public final class TimesyncHttpsBenchmark {
  public static void main(String[] args) throws Exception {
    int boots = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int requests = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    Vertx vertx = Vertx.vertx();
    try {
      ThrowawayCa ca = ThrowawayCa.create("benchmark CA");
      ConnectivityEndpoint ep = ConnectivityEndpoint.start(vertx, ca.issue("127.0.0.1"),
          () -> Instant.now().plus(Duration.ofDays(1))).await(10, TimeUnit.SECONDS);
      System.out.println("endpoint " + ep.uri() + ", JVM " + System.getProperty("java.version")
          + ", cores " + Runtime.getRuntime().availableProcessors());

      List<Double> boot = new ArrayList<>();
      for (int i = 0; i < boots; i++) {
        boot.add(bootOnce(ep, ca));
      }
      report("boot -> time-sync-https-wait (ms)", boot, 5);

      DateProbe probe = new DateProbe(vertx, new VertxScheduler(vertx), Duration.ofSeconds(10), Instant::now, m -> { });
      URI uri = URI.create(ep.uri());
      long coldStart = System.nanoTime();
      String cold = probeOnce(vertx, probe, uri, ca).detail();
      System.out.printf("first verified probe (system trust store load, TLS init): %.1f ms (%s)%n",
          (System.nanoTime() - coldStart) / 1e6, cold);
      List<Double> jvm = new ArrayList<>();
      List<Double> curl = new ArrayList<>();
      // interleaved, so both see the same machine load
      for (int i = 0; i < requests; i++) {
        long t0 = System.nanoTime();
        io.hostmesh.platform.HttpsProbe.Answer a = probeOnce(vertx, probe, uri, ca);
        if (a.status() != 204) {
          throw new IllegalStateException("probe: " + a);
        }
        jvm.add((System.nanoTime() - t0) / 1e6);
        t0 = System.nanoTime();
        Process p = new ProcessBuilder("curl", "-k", "-I", "-s", "-m10", ep.uri()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0 || !out.contains("204")) {
          throw new IllegalStateException("curl: " + out);
        }
        curl.add((System.nanoTime() - t0) / 1e6);
      }
      report("one sync, hostmesh DateProbe, verified TLS, new connection (ms)", jvm, requests / 10);
      report("one sync, curl -k -I -s -m10 (process start included) (ms)", curl, requests / 10);
      probe.close();
      ep.close().await(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static io.hostmesh.platform.HttpsProbe.Answer probeOnce(Vertx vertx, DateProbe probe, URI uri, ThrowawayCa ca) throws Exception {
    Promise<io.hostmesh.platform.HttpsProbe.Answer> p = Promise.promise();
    vertx.runOnContext(v -> probe.head(uri, ca.balenaRootCA()).onComplete(p));
    return p.future().await(15, TimeUnit.SECONDS);
  }

  /** One simulated boot on its own Vert.x (the bus, and so its latched targets, belong to one Vert.x). */
  private static double bootOnce(ConnectivityEndpoint ep, ThrowawayCa ca) throws Exception {
    Vertx device = Vertx.vertx();
    try (SimDevice dev = SimDevice.builder(device).unit(HttpsTimeSync::new).unit(NetworkUnit::new)
        .external(Targets.TIME_SET, ConfigTopics.CONNECTIVITY).file(io.hostmesh.unit.support.BuildTime.FILE, "20200101000000\n").build()) {
      long t0 = System.nanoTime();
      dev.start().await(10, TimeUnit.SECONDS);
      dev.bus().publish(ConfigTopics.CONNECTIVITY, new ConnectivityConfig(ep.uri(), null, ca.balenaRootCA()));
      dev.bus().publish(Targets.TIME_SET, new Target("time-set", Instant.now(), 0));
      dev.await(Targets.TIME_SYNC_HTTPS_WAIT, t -> true).await(15, TimeUnit.SECONDS);
      double ms = (System.nanoTime() - t0) / 1e6;
      if (!dev.logged("timesync-https", "Time synchronised via HTTPS.")) {
        throw new IllegalStateException("boot did not sync: " + dev.logs());
      }
      dev.stop().await(10, TimeUnit.SECONDS);
      return ms;
    } finally {
      device.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static void report(String what, List<Double> samples, int warmup) {
    List<Double> s = new ArrayList<>(samples.subList(Math.min(warmup, samples.size() - 1), samples.size()));
    Collections.sort(s);
    System.out.printf("%-70s n=%d first=%.1f median=%.2f p90=%.2f min=%.2f max=%.2f%n", what, s.size(), samples.get(0),
        s.get(s.size() / 2), s.get((int) Math.min(s.size() - 1, Math.round(s.size() * 0.9))), s.get(0), s.get(s.size() - 1));
  }
}
