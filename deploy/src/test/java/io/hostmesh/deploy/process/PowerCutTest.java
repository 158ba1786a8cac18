package io.hostmesh.deploy.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.mesh.Mesh;
import io.hostmesh.mesh.MeshSettings;
import io.hostmesh.platform.Platforms;
import io.hostmesh.platform.Profile;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A power cut during a config apply, with every unit of the distribution: each generated file is
 * the old or the new one, never partial, and no temporary file of an atomic write is left, at
 * whatever point of the apply the cut lands (a random delay after config.json changed, from 0
 * to about as long as the apply takes). The files after the cut are compared with the boot
 * before (old) and the boot after, which finishes the apply (new).
 */
@Timeout(300)
class PowerCutTest {
  private static final List<String> GENERATED = List.of("etc/hostname", "run/dnsmasq.servers");
  private static final int CUTS = 50;

  @TempDir
  Path tmp;

  private Vertx vertx;

  @BeforeEach
  void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aPowerCutDuringAConfigApplyLeavesEveryGeneratedFileOldOrNew() throws Exception {
    Path root = Cli.device(tmp.resolve("dev"));
    long seed = System.nanoTime();
    Random random = new Random(seed);
    // calibration: how long a whole apply takes on this machine, warm (the median of 7)
    Mesh mesh = boot(root);
    List<Long> applies = new ArrayList<>();
    for (int k = 1; k <= 7; k++) {
      Map<String, String> before = read(root);
      long t0 = System.nanoTime();
      change(root, 1000 + k);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!allDiffer(before, read(root)) && System.nanoTime() < deadline) {
        vertx.timer(1).await();
      }
      assertTrue(allDiffer(before, read(root)), "the apply changes every generated file: " + read(root));
      applies.add((System.nanoTime() - t0) / 1000);
    }
    long applyMicros = applies.stream().sorted().toList().get(applies.size() / 2);
    mesh.stop().await();

    int old = 0;
    int fresh = 0;
    int mixed = 0;
    for (int i = 1; i <= CUTS; i++) {
      mesh = boot(root);
      Map<String, String> oldFiles = read(root);
      Path saved = root.resolve("etc/fake-hwclock/fake-hwclock.data");
      String savedBefore = Files.exists(saved) ? Files.readString(saved) : "";
      change(root, i);
      // the calibration's apply includes its own polling; a cut device applies in about a third of it
      long delayMicros = (long) (random.nextDouble() * applyMicros / 3);
      long until = System.nanoTime() + delayMicros * 1000;
      while (System.nanoTime() < until) { // bounded by the delay; precise below a timer's 1 ms
        Thread.onSpinWait();
      }
      mesh.cutPower().await();
      Map<String, String> cut = read(root);
      assertEquals(List.of(), temporaryFiles(root), "seed " + seed + ", cut " + i + ": no partial write left");
      assertEquals(savedBefore, Files.exists(saved) ? Files.readString(saved) : "", "no unit's stop wrote (fake-hwclock)");
      // the next boot finishes the apply: the new files
      Mesh next = boot(root);
      Map<String, String> newFiles = read(root);
      next.stop().await();
      assertTrue(allDiffer(oldFiles, newFiles), "seed " + seed + ", cut " + i + ": the next boot applied " + newFiles);
      for (String f : GENERATED) {
        String c = cut.get(f);
        assertTrue(c.equals(oldFiles.get(f)) || c.equals(newFiles.get(f)) || f.startsWith("run/") && c.isEmpty(),
            "seed " + seed + ", cut " + i + " after " + delayMicros + " µs: " + f + " is neither old nor new: '" + c + "'");
      }
      System.out.println("cut " + i + " after " + delayMicros + " µs: " + (cut.equals(oldFiles) ? "old" : cut.equals(newFiles) ? "new" : "mixed"));
      if (cut.equals(oldFiles)) {
        old++;
      } else if (cut.equals(newFiles)) {
        fresh++;
      } else {
        mixed++;
      }
    }
    System.out.printf("power cuts: %d, apply %d µs; files all old %d, all new %d, some of each %d (seed %d)%n", CUTS,
        applyMicros, old, fresh, mixed, seed);
    assertEquals(CUTS, old + fresh + mixed);
    assertNotEquals(CUTS, old, "some cuts landed after the apply had begun");
  }

  private Mesh boot(Path root) throws Exception {
    Mesh m = Mesh.builder(vertx, MeshSettings.load(Profile.SIM, root)).discover().logSink(l -> { }).build();
    m.start().await();
    m.whenSettled().await(60, TimeUnit.SECONDS);
    return m;
  }

  /** A new hostname and new DNS servers: two generated files, written by two units. */
  private static void change(Path root, int i) throws IOException {
    var files = Platforms.files(root);
    JsonObject config = new JsonObject(files.read("/mnt/boot/config.json").orElseThrow());
    config.put("hostname", "cut-" + i).put("dnsServers", "10.0." + (i % 250) + ".1 10.1.0." + (i % 250 + 1));
    files.write("/mnt/boot/config.json", config.encodePrettily(), null);
  }

  private static Map<String, String> read(Path root) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    for (String f : GENERATED) {
      Path p = root.resolve(f);
      m.put(f, Files.exists(p) ? Files.readString(p) : "");
    }
    return m;
  }

  private static boolean allDiffer(Map<String, String> a, Map<String, String> b) {
    return GENERATED.stream().allMatch(f -> !a.get(f).equals(b.get(f)));
  }

  private static List<Path> temporaryFiles(Path root) throws IOException {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(p -> p.getFileName().toString().matches("\\..+\\.tmp-[0-9a-f]{1,16}")).forEach(found::add);
    }
    return found;
  }
}
