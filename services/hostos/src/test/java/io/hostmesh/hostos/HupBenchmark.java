package io.hostmesh.hostos;

import io.hostmesh.schema.unit.UnitState;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * Wall time of each HUP scenario with the spec's default rollback-health constants (TIMEOUT 60 s,
 * COUNT 15: the health path is ~16 min of device time) on virtual time, from the HUP request to
 * the device settled in the boot that shows the outcome. Target: at most 5 s each.
 *
 * <pre>{@code ./bench.sh services/hostos io.hostmesh.hostos.HupBenchmark [runs]}</pre>
 */
public final class HupBenchmark {
  private HupBenchmark() {}

  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    Vertx vertx = Vertx.vertx();
    try {
      System.out.printf("HUP scenarios, spec constants (TIMEOUT 60 s, COUNT 15), %d runs each after 1 warm-up%n", runs);
      System.out.printf("%-34s %10s %10s %10s %14s%n", "scenario", "median ms", "max ms", "min ms", "device time s");
      bench(vertx, runs, "broken engine -> rollback-health", BootEnv.Kind.UBOOT, d -> {
        d.hup(HupScenarioTest.NEW, "engine");
        d.settle(3);
        check(d.exists(RollbackFiles.HEALTH_TRIGGERED), "health triggered");
      });
      bench(vertx, runs, "broken VPN -> rollback-health", BootEnv.Kind.UBOOT, d -> {
        d.hup(HupScenarioTest.NEW, "vpn");
        d.settle(3);
        check(d.exists(RollbackFiles.HEALTH_TRIGGERED), "health triggered");
      });
      bench(vertx, runs, "deleted init -> altboot (u-boot)", BootEnv.Kind.UBOOT, d -> {
        d.hup(HupScenarioTest.NEW, "init");
        d.settle(6);
        check(d.exists(RollbackFiles.ALTBOOT_TRIGGERED), "altboot triggered");
      });
      bench(vertx, runs, "deleted init -> altboot (grub)", BootEnv.Kind.GRUB, d -> {
        d.hup(HupScenarioTest.NEW, "init");
        d.settle(4);
        check(d.exists(RollbackFiles.ALTBOOT_TRIGGERED), "altboot triggered");
      });
      bench(vertx, runs, "healthy -> commit + 1 reboot", BootEnv.Kind.UBOOT, d -> {
        d.hup(HupScenarioTest.NEW, "");
        d.awaitUnit(2, "rollback-health", UnitState.EXITED);
        d.dev.reboot("bench").await();
        d.settle(3);
        check(HupScenarioTest.NEW.equals(d.status().version()), "new version runs");
      });
    } finally {
      vertx.close().await();
    }
  }

  private static void bench(Vertx vertx, int runs, String name, BootEnv.Kind kind, Consumer<HupDevice> scenario) {
    List<Long> ms = new ArrayList<>();
    long device = 0;
    for (int i = 0; i <= runs; i++) {
      try (HupDevice d = new HupDevice(vertx, kind, HupDevice.health(60, 15), List.of())) {
        d.start();
        long v0 = d.time.uptimeMillis();
        long t0 = System.nanoTime();
        scenario.accept(d);
        long t = (System.nanoTime() - t0) / 1_000_000;
        device = (d.time.uptimeMillis() - v0) / 1000;
        if (i > 0) {
          ms.add(t);
        }
      }
    }
    Collections.sort(ms);
    System.out.printf("%-34s %10d %10d %10d %14d%n", name, ms.get(ms.size() / 2), ms.get(ms.size() - 1), ms.get(0), device);
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("scenario did not end as expected: " + what);
    }
  }
}
