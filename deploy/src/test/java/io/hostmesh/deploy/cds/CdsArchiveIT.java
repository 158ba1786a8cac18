package io.hostmesh.deploy.cds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/systemd/make-cds-archive.sh (the service's ExecStartPre) makes an AppCDS archive the
 * shipped JVM flags accept: made once, kept while the jar is older, and usable with
 * {@code -Xshare:on} (which refuses to start with an archive it cannot map). Needs the shaded jar
 * ({@code mvn package}, as .ci/run does first); skips with the reason otherwise.
 */
@Timeout(240)
class CdsArchiveIT {
  static final List<String> SHIPPED = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss256k", "-XX:-UsePerfData",
      "-Xms8m", "-Xmx48m", "-XX:MaxMetaspaceSize=64m", "-XX:ReservedCodeCacheSize=16m",
      "-XX:-UseNotificationThread", "-XX:-MethodFlushing");

  @Test
  void archiveIsMadeOnceAndAcceptedByTheShippedFlags(@TempDir Path dir) throws Exception {
    Path jar = Path.of("target/hostmesh.jar").toAbsolutePath();
    assumeTrue(Files.exists(jar), "no " + jar + ": run mvn package first (CI does)");
    Path script = Path.of("systemd/make-cds-archive.sh").toAbsolutePath();
    Path jsa = dir.resolve("hostmesh.jsa");

    Result made = run(List.of("sh", script.toString(), jar.toString(), jsa.toString()));
    assertEquals(0, made.code, made.out);
    assertTrue(made.out.contains("make-cds-archive: " + jsa), made.out);
    assertTrue(Files.size(jsa) > 1_000_000, "an archive of the demo's classes: " + Files.size(jsa));

    FileTime before = Files.getLastModifiedTime(jsa);
    Result again = run(List.of("sh", script.toString(), jar.toString(), jsa.toString()));
    assertEquals(0, again.code, again.out);
    assertEquals("", again.out.trim(), "kept while the jar is older");
    assertEquals(before, Files.getLastModifiedTime(jsa));

    List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    java.addAll(SHIPPED);
    java.addAll(List.of("-XX:SharedArchiveFile=" + jsa, "-Xshare:on", "-jar", jar.toString(), "--version"));
    Result started = run(java);
    assertEquals(0, started.code, started.out);
    assertTrue(started.out.contains("hostmesh"), started.out);
  }

  private record Result(int code, String out) {}

  private static Result run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(200, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Result(-1, "timed out: " + out);
    }
    return new Result(p.exitValue(), out);
  }
}
