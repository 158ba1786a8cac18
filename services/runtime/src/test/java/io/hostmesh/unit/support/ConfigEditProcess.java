package io.hostmesh.unit.support;

import io.hostmesh.platform.BlockingHostFiles;

import io.hostmesh.platform.Platforms;

import com.fasterxml.jackson.databind.node.TextNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The other editor of {@link ConfigFileEditAcrossProcessesTest}, in its own JVM as
 * {@code hostmesh config set} is: {@code ConfigEditProcess ROOT PREFIX COUNT THREADS} prints
 * {@code ready}, waits for a line on stdin, then sets {@code race.PREFIX-i = "PREFIX-i"} for
 * i in [0, COUNT) on THREADS threads, prints {@code done} and exits 0 (1 on any failure).
 */
public final class ConfigEditProcess {
  private ConfigEditProcess() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    String prefix = args[1];
    int count = Integer.parseInt(args[2]);
    int threads = Integer.parseInt(args[3]);
    ConfigFileEdit.patchForKey("race.warm", TextNode.valueOf("up")); // load the classes before the start line
    System.out.println("ready");
    System.out.flush();
    if (new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine() == null) {
      System.exit(1);
    }
    try {
      applyAll(Platforms.files(root), prefix, count, threads);
    } catch (Exception e) {
      e.printStackTrace(System.out);
      System.out.flush();
      System.exit(1);
    }
    System.out.println("done");
    System.out.flush();
    System.exit(0);
  }

  /** Sets {@code race.PREFIX-i} for i in [0, count), split over {@code threads} threads; throws the first failure. */
  static void applyAll(BlockingHostFiles files, String prefix, int count, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Void>> parts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        parts.add(pool.submit(() -> {
          for (int i = first; i < count; i += threads) {
            String name = key(prefix, i);
            ConfigFileEdit.set(files, "race." + name, TextNode.valueOf(name));
          }
          return null;
        }));
      }
      for (Future<Void> f : parts) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static String key(String prefix, int i) {
    return String.format("%s-%03d", prefix, i);
  }
}
