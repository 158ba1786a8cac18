package io.hostmesh.bench;

import io.hostmesh.mesh.Mesh;
import io.hostmesh.mesh.MeshSettings;
import io.hostmesh.platform.Profile;
import io.hostmesh.units.time.BuildTimeInit;
import io.hostmesh.units.time.FakeHwclock;
import io.hostmesh.unit.support.TimeFormats;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * One measured boot, in its own JVM: {@code mesh} boots the time units of the runtime issue in
 * a temp device root; {@code bare N} deploys N trivial verticles. Prints
 * {@code <kind> <ms since JVM start> <RSS kB>}.
 */
public final class BootProbe {
  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    if (args[0].equals("mesh")) {
      Path root = Files.createTempDirectory("hostmesh-bench-");
      Files.createDirectories(root.resolve("etc"));
      Files.writeString(root.resolve("etc/timestamp"), TimeFormats.stamp(Instant.now()) + "\n");
      Mesh mesh = Mesh.builder(vertx, new MeshSettings(Profile.SIM, root, new JsonObject()))
          .unit(BuildTimeInit::new).unit(FakeHwclock::new).logSink(l -> { }).build();
      mesh.start().await();
      mesh.whenSettled().await();
      report("mesh");
      mesh.stop().await(); // its last writes done: the root goes with the run
      try (var walk = Files.walk(root)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    } else {
      int n = Integer.parseInt(args[1]);
      for (int i = 0; i < n; i++) {
        vertx.deployVerticle(new VerticleBase() {
          @Override
          public Future<?> start() {
            return Future.succeededFuture();
          }
        }).await();
      }
      report("bare");
    }
    vertx.close().await();
  }

  private static void report(String kind) throws Exception {
    long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    String rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
        .findFirst().orElse("VmRSS: 0 kB").replaceAll("[^0-9]", "");
    System.out.println(kind + " " + ms + " " + rss);
  }
}
