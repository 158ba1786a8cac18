package io.hostmesh.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * JVM start → all units of the runtime issue settled, against a bare Vert.x app deploying the
 * same number of trivial verticles, alternating in the same run; medians of ms and RSS.
 * Run: {@code ./bench.sh services io.hostmesh.bench.BootBenchmark [runs]}.
 */
public final class BootBenchmark {
  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    String cp = System.getProperty("java.class.path");
    List<Long> meshMs = new ArrayList<>(), bareMs = new ArrayList<>(), meshRss = new ArrayList<>(), bareRss = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long[] m = probe(cp, "mesh");
      long[] b = probe(cp, "bare", "2");
      meshMs.add(m[0]);
      meshRss.add(m[1]);
      bareMs.add(b[0]);
      bareRss.add(b[1]);
    }
    long mm = median(meshMs), bm = median(bareMs);
    System.out.printf("boot to settled (median of %d): mesh %d ms, bare Vert.x %d ms, ratio %.2f%n", runs, mm, bm, mm / (double) bm);
    System.out.printf("RSS (median): mesh %d MB, bare Vert.x %d MB%n", median(meshRss) / 1024, median(bareRss) / 1024);
  }

  private static long[] probe(String cp, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("java", "-cp", cp, BootProbe.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String last = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
      for (String l; (l = r.readLine()) != null; ) {
        if (l.startsWith("mesh ") || l.startsWith("bare ")) {
          last = l;
        }
      }
    }
    p.waitFor();
    String[] f = last.split(" ");
    return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
  }

  private static long median(List<Long> xs) {
    List<Long> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }
}
