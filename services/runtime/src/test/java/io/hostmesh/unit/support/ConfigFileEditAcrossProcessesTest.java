package io.hostmesh.unit.support;

import io.hostmesh.platform.Platforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hostmesh.schema.config.ConfigDocument;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes edit one config.json at once, as {@code hostmesh config set} and
 * {@code PATCH /v1/config} can: no edit is lost (issue 16, item 1).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConfigFileEditAcrossProcessesTest {
  static final int KEYS = 200;
  static final int THREADS = 2; // per process: the in-JVM lock and the file lock both take part

  @TempDir
  Path root;

  @Test
  void twoProcessesEditingAtOnceLoseNothing() throws Exception {
    Files.createDirectories(root.resolve("mnt/boot"));
    Files.writeString(root.resolve("mnt/boot/config.json"), "{\"uuid\":\"abc\",\"hostname\":\"race\"}");
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        ConfigEditProcess.class.getName(), root.toString(), "cli", String.valueOf(KEYS), String.valueOf(THREADS));
    Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    List<String> output = new ArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) {
          lines.add(l);
        }
      } catch (IOException ignored) {
        // the child ended
      }
    }, "config-edit-child");
    reader.setDaemon(true);
    reader.start();
    try {
      awaitLine(lines, output, "ready", child);
      try (OutputStream go = child.getOutputStream()) {
        go.write("go\n".getBytes(StandardCharsets.UTF_8));
      }
      long start = System.nanoTime();
      ConfigEditProcess.applyAll(Platforms.files(root), "api", KEYS, THREADS);
      awaitLine(lines, output, "done", child);
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not end");
      assertEquals(0, child.exitValue(), () -> String.join("\n", output));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

      // strict parse: the file is valid JSON and passes the config.json rules
      ConfigDocument.Reading reading = ConfigDocument.read(Files.readAllBytes(root.resolve("mnt/boot/config.json")));
      assertTrue(reading.ok(), () -> reading.violations().toString());
      JsonNode doc = ConfigDocument.mapper().readTree(Files.readString(root.resolve("mnt/boot/config.json")));
      assertEquals("abc", doc.path("uuid").asText(), "the keys already there are kept");
      JsonNode race = doc.path("race");
      List<String> missing = new ArrayList<>();
      for (String prefix : List.of("cli", "api")) {
        for (int i = 0; i < KEYS; i++) {
          String k = ConfigEditProcess.key(prefix, i);
          if (!k.equals(race.path(k).asText(null))) {
            missing.add(k);
          }
        }
      }
      assertTrue(missing.isEmpty(), () -> missing.size() + " of " + 2 * KEYS + " edits lost, e.g. "
          + missing.subList(0, Math.min(10, missing.size())));
      assertEquals(2 * KEYS, race.size());
      try (var s = Files.list(root.resolve("mnt/boot"))) {
        assertEquals(List.of("config.json"), s.map(p -> p.getFileName().toString()).toList(), "no temporary file left");
      }
      // the order of the keys is the order of the edits: count how often the writer changed
      int switches = 0;
      String last = null;
      for (Iterator<String> it = race.fieldNames(); it.hasNext(); ) {
        String who = it.next().substring(0, 3);
        if (last != null && !who.equals(last)) {
          switches++;
        }
        last = who;
      }
      System.out.printf("2 x %d edits in %d ms; the writing process changed %d times%n", KEYS, millis, switches);
      assertTrue(switches > 0, "the two processes did not edit at the same time");
    } finally {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static void awaitLine(BlockingQueue<String> lines, List<String> output, String wanted, Process child)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end) {
      String l = lines.poll(100, TimeUnit.MILLISECONDS);
      if (l != null) {
        output.add(l);
        if (l.equals(wanted)) {
          return;
        }
      } else if (!child.isAlive() && lines.isEmpty()) {
        break;
      }
    }
    throw new AssertionError("no line '" + wanted + "' from the child; its output:\n" + String.join("\n", output));
  }
}
