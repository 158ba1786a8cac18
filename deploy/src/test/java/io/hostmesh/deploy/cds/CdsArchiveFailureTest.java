package io.hostmesh.deploy.cds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * make-cds-archive.sh when the archive cannot be made (here: a jar whose main class cannot run;
 * in the issue: another mesh held the demo's SSH port): it says what it is doing, leaves nothing
 * behind — the JVM dumps the archive at exit even when the demo fails, so a half-made archive
 * (36 MB each time) stayed — and does not try again for the same jar, only for a newer one.
 * Needs no build of the distribution.
 */
@Timeout(120)
class CdsArchiveFailureTest {
  @TempDir
  Path dir;

  @Test
  void aFailedArchiveLeavesNothingAndIsNotRetriedForTheSameJar() throws Exception {
    Path jar = failingJar(dir.resolve("hostmesh.jar"));
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));
    Path out = Files.createDirectories(dir.resolve("out"));
    Path jsa = out.resolve("hostmesh.jsa");
    Path tmp = Files.createDirectories(dir.resolve("tmp"));

    Result first = script(jar, jsa, tmp);
    assertEquals(1, first.code, first.out);
    assertTrue(first.out.contains("making the start-up archive (once per build)…"), first.out);
    assertTrue(first.out.contains("make-cds-archive: no start-up archive: the demo boot failed (not retried for this jar; why: "
        + jsa + ".failed)"), first.out);
    assertEquals(List.of("hostmesh.jsa.failed"), names(out), "only the note of why: no archive, no temporary archive");
    assertEquals(List.of(), names(tmp), "no demo root or JVM temporary files left");
    assertTrue(Files.readString(out.resolve("hostmesh.jsa.failed")).contains("the demo boot with " + jar + " failed"));

    Result again = script(jar, jsa, tmp);
    assertEquals(0, again.code, again.out);
    assertEquals("", again.out, "not retried for the same jar, and quiet about it");
    assertEquals(List.of(), names(tmp));

    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plus(1, ChronoUnit.MINUTES)));
    Result newJar = script(jar, jsa, tmp);
    assertEquals(1, newJar.code, newJar.out);
    assertTrue(newJar.out.contains("making the start-up archive"), "a new jar is tried again: " + newJar.out);
    assertEquals(List.of("hostmesh.jsa.failed"), names(out));
    assertEquals(List.of(), names(tmp));
  }

  @Test
  void aMissingJarIsNamed() throws Exception {
    Result r = script(dir.resolve("nope.jar"), dir.resolve("a.jsa"), Files.createDirectories(dir.resolve("tmp")));
    assertEquals(66, r.code, r.out);
    assertEquals("make-cds-archive: no jar at " + dir.resolve("nope.jar"), r.out.strip());
  }

  /** hostmesh's main class without its libraries: the JVM starts, loads classes, fails, and dumps them at exit. */
  private static Path failingJar(Path jar) throws IOException {
    java.util.jar.Manifest m = new java.util.jar.Manifest();
    m.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(java.util.jar.Attributes.Name.MAIN_CLASS, "io.hostmesh.cli.Main");
    m.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH,
        Path.of("../services/cli/target/classes").toAbsolutePath().normalize().toUri().toString());
    try (var o = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), m)) {
      o.flush();
    }
    return jar;
  }

  private record Result(int code, String out) {}

  private static Result script(Path jar, Path jsa, Path tmp) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("sh", Path.of("systemd/make-cds-archive.sh").toAbsolutePath().toString(),
        jar.toString(), jsa.toString()).redirectErrorStream(true);
    pb.environment().putAll(Map.of("TMPDIR", tmp.toString()));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(100, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("make-cds-archive.sh did not end: " + out);
    }
    return new Result(p.exitValue(), out);
  }

  private static List<String> names(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
