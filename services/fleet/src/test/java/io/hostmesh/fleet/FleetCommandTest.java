package io.hostmesh.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.cli.Main;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code hostmesh fleet run}: the report files, the page in a real headless browser, and every refusal. */
class FleetCommandTest {
  static final Path HERD = Path.of("scenarios/power-cut-herd.json");

  record Ran(int code, String out, String err) {}

  static Ran hostmesh(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Ran(code, out.toString(), err.toString());
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void aRunWritesTheReportAndThePageRendersItsPlotsInChromium(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("report");
    Ran r = hostmesh("fleet", "run", HERD.toString(), "--devices", "40", "--seed", "9", "--report", dir.toString(),
        "--trace", "3", "--partitions", "2");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("fleet: virtual 02:00:00 of 02:00:00"), r.err());
    for (String f : List.of("report.json", "series.csv", "latency.csv", "report.html", "trace-3.txt")) {
      assertTrue(Files.size(dir.resolve(f)) > 0, f);
      assertTrue(r.out().contains(dir.resolve(f).toString()), r.out());
    }
    JsonObject report = new JsonObject(Files.readString(dir.resolve("report.json")));
    assertEquals("40", report.getJsonObject("fleet").getString("devices"));
    assertEquals(80, report.getJsonObject("counters").getLong("boots"), "a boot, and one after the power cut");
    assertTrue(Files.readString(dir.resolve("trace-3.txt")).contains("power cut"));
    assertTrue(Files.readAllLines(dir.resolve("series.csv")).get(0).startsWith("second,"));

    String dom = chromium(dir.resolve("report.html"), tmp.resolve("chromium-profile"));
    for (String plot : List.of("requests-per-second", "untrusted-clock")) {
      Matcher m = Pattern.compile("<svg id=\"" + plot + "\"[^>]*data-points=\"(\\d+)\".*?<polyline class=\"series\"[^>]*points=\"([^\"]+)\"",
          Pattern.DOTALL).matcher(dom);
      assertTrue(m.find(), plot + " has no line in the rendered page");
      assertTrue(Integer.parseInt(m.group(1)) > 10, plot + " has " + m.group(1) + " points");
      assertTrue(m.group(2).split(" ").length > 10);
    }
    assertTrue(Pattern.compile("<rect class=\"bar\" data-value=\"[1-9]").matcher(dom).find(), "latency bars with data");
  }

  /** The page as headless Debian chromium renders it (--dump-dom: the DOM after parsing and layout). */
  static String chromium(Path page, Path profile) throws Exception {
    Files.createDirectories(profile);
    Process p = new ProcessBuilder("/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--dump-dom", page.toUri().toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      byte[] dom = p.getInputStream().readAllBytes();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium did not finish");
      assertEquals(0, p.exitValue(), "chromium failed");
      return new String(dom, StandardCharsets.UTF_8);
    } finally {
      p.destroyForcibly();
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      try (var walk = Files.walk(profile)) {
        walk.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
      }
    }
  }

  @Test
  void badInputIsRefusedWithTheReasonAndNothingIsWritten(@TempDir Path tmp) throws Exception {
    Path report = tmp.resolve("r");
    Ran missing = hostmesh("fleet", "run", tmp.resolve("nope.json").toString(), "--report", report.toString());
    assertEquals(66, missing.code());
    assertTrue(missing.err().contains("no scenario file at"), missing.err());
    Path bad = tmp.resolve("bad.json");
    Files.writeString(bad, "{\"name\": \"x\", \"devices\": 10, \"durationSeconds\": 60,"
        + " \"mixes\": [{\"name\": \"a\", \"share\": 0.5}, {\"name\": \"b\", \"share\": 0.4}]}");
    Ran shares = hostmesh("fleet", "run", bad.toString(), "--report", report.toString());
    assertEquals(65, shares.code());
    assertTrue(shares.err().contains("/mixes: the shares add up to 0.9, not 1"), shares.err());
    Files.writeString(bad, "{\"name\": \"x\", \"devices\": 10, \"durationSeconds\": 60, \"events\": [{\"at\": 5, \"kind\": \"power-cut\", \"share\": 2}]}");
    Ran share = hostmesh("fleet", "run", bad.toString(), "--report", report.toString());
    assertEquals(65, share.code());
    assertTrue(share.err().contains("/events/0/share: must be at most 1, found 2"), share.err());
    Files.writeString(bad, "{\"name\": \"x\", \"devices\": 10, \"durationSeconds\": 60, \"nosuch\": 1}");
    assertTrue(hostmesh("fleet", "run", bad.toString()).err().contains("/nosuch: is not a known key"));
    Files.writeString(bad, "{\"name\": \"x\",");
    Ran json = hostmesh("fleet", "run", bad.toString(), "--report", report.toString());
    assertEquals(65, json.code());
    assertTrue(json.err().contains("not valid JSON"), json.err());
    assertEquals(64, hostmesh("fleet", "run", HERD.toString(), "--devices", "0").code());
    assertEquals(64, hostmesh("fleet", "run", HERD.toString(), "--partitions", "0").code());
    Ran trace = hostmesh("fleet", "run", HERD.toString(), "--devices", "5", "--trace", "5", "--report", report.toString());
    assertEquals(64, trace.code());
    assertTrue(trace.err().contains("--trace 5 is not a device of this fleet (ids 0 to 4)"), trace.err());
    Path file = tmp.resolve("a-file");
    Files.writeString(file, "x");
    Ran cant = hostmesh("fleet", "run", HERD.toString(), "--devices", "2", "--report", file.toString());
    assertEquals(73, cant.code());
    assertTrue(cant.err().contains("cannot write the report into"), cant.err());
    assertTrue(Files.notExists(report), "nothing written for a refused run");
  }

  @Test
  void theShippedScenariosAreValid() throws Exception {
    try (var s = Files.list(Path.of("scenarios"))) {
      List<Path> all = s.sorted().toList();
      assertEquals(3, all.size());
      for (Path p : all) {
        Scenario.parse(Files.readString(p));
      }
    }
  }
}
