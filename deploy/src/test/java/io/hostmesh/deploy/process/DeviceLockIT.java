package io.hostmesh.deploy.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.deploy.support.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One mesh per device root: with {@code hostmesh run} holding a root in a child JVM, a second
 * {@code run} or {@code demo} on that root is refused naming the first one's pid (exit 69), before
 * it touches anything; before, the second overwrote {@code fake-hwclock.data} and fought over
 * chronyd. Once the first has stopped the root is free again.
 */
@Timeout(180)
class DeviceLockIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);

  @TempDir
  Path tmp;

  @Test
  void aSecondMeshOnTheSameRootIsRefusedNamingTheFirst() throws Exception {
    Path root = Cli.device(tmp.resolve("dev"));
    Path saved = root.resolve("etc/fake-hwclock/fake-hwclock.data");
    Files.writeString(saved, "2026-01-01 00:00:00\n");
    Files.setLastModifiedTime(saved, FileTime.fromMillis(1_000_000_000_000L));
    try (ChildJvm first = ChildJvm.hostmesh(List.of(), Map.of(), "run", "--root", root.toString())) {
      first.await(l -> l.startsWith("API on "), LIMIT);
      // the API comes up before the units: wait until fake-hwclock has loaded, so its stop saves
      first.await(l -> l.contains(" fake-hwclock ") && l.contains(" exited"), LIMIT);
      long pid = first.process().pid();
      String refusal = "device root " + root + " is in use by hostmesh pid " + pid
          + " (stop it first, or give this device another --root)";

      Cli.Result run = Cli.run("run", "--root", root.toString(), "--exit-when-ready");
      assertEquals(69, run.code(), run.err());
      assertEquals("hostmesh run: " + refusal, run.line());
      assertEquals("", run.out(), "no unit started");
      Cli.Result demo = Cli.run("demo", "--root", root.toString(), "--exit-when-ready");
      assertEquals(69, demo.code(), demo.err());
      assertEquals("hostmesh demo: " + refusal, demo.line());

      assertEquals(FileTime.fromMillis(1_000_000_000_000L), Files.getLastModifiedTime(saved), "fake-hwclock.data untouched");
      first.process().destroy();
      int code = first.waitFor(LIMIT);
      assertTrue(code == 0 || code == 143, "exit code " + code);
    }
    assertFalse(Files.readString(saved).equals("2026-01-01 00:00:00\n"), "the first mesh saved the time at its stop");
    Cli.Result after = Cli.run("run", "--root", root.toString(), "--exit-when-ready", "--timeout", "90");
    assertTrue(after.code() == 0 || after.code() == 1, "the root is free again:\n" + after.err());
    assertTrue(after.out().contains("units settled"), after.out());
  }
}
