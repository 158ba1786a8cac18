package io.hostmesh.deploy.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hostmesh.deploy.support.ChildJvm;
import io.hostmesh.platform.Platforms;
import io.hostmesh.platform.internal.ParentDeath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hostmesh run} in a child JVM killed with SIGKILL (a crash, the OOM killer: no shutdown
 * hook runs). Its chronyd dies with it (parent-death signal through setpriv) within a bounded
 * time; the JVM leaves nothing in its temporary folder (no {@code vertx-cache-<uuid>}); the next
 * start on the same root gets the lock the kernel dropped, removes the temporary files of atomic
 * writes a kill left (not a fresh one another process may be writing), and its chronyd starts —
 * no "Another chronyd may already be running". Before: 46 temp files and 220 cache folders after
 * 200 kills, and a chronyd that failed for good.
 */
@Timeout(240)
class KillNineIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);

  @TempDir
  Path tmp;

  @Test
  void aKilledMeshLeavesNothingBehindAndTheNextStartTidiesUp() throws Exception {
    assumeTrue(Platforms.onPath("chronyd"), "chronyd is not installed (apt-get install chrony): nothing to kill with the mesh");
    Path root = Cli.device(tmp.resolve("dev"));
    Path jvmTmp = Files.createDirectories(tmp.resolve("jvm-tmp"));
    // what kills in the middle of atomic writes left: temporary files next to their targets
    Path etcLeft = Files.writeString(root.resolve("etc/.hostname.tmp-3f2a1b"), "half");
    Path bootLeft = Files.writeString(root.resolve("mnt/boot/.config.json.tmp-9c8d7e"), "{");
    Files.setLastModifiedTime(bootLeft, FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));
    // config set (another process, no device lock) may be writing this one right now: kept
    Path bootFresh = Files.writeString(root.resolve("mnt/boot/.config.json.tmp-aaaa01"), "{");
    List<String> jvm = List.of("-Djava.io.tmpdir=" + jvmTmp);
    Path pidFile = root.resolve("run/chrony/chronyd.pid");

    ProcessHandle chronyd;
    try (ChildJvm first = ChildJvm.hostmesh(jvm, Map.of(), "run", "--root", root.toString())) {
      first.await(l -> l.contains("removed 2 temporary file(s) that a killed run left under " + root), LIMIT);
      first.await(l -> Cli.isState(l, "chronyd", "active"), LIMIT);
      chronyd = ProcessHandle.of(Cli.pidIn(pidFile).orElseThrow()).orElseThrow();
      assertEquals(first.process().pid(), chronyd.parent().map(ProcessHandle::pid).orElse(-1L), "the mesh's own chronyd");

      first.process().destroyForcibly(); // SIGKILL
      assertEquals(137, first.waitFor(LIMIT));
      if (ParentDeath.available()) {
        chronyd.onExit().get(5, TimeUnit.SECONDS); // the parent-death signal: within 5 s, no help from a next start
      }
    }
    assertFalse(Files.exists(etcLeft));
    assertFalse(Files.exists(bootLeft));
    assertTrue(Files.exists(bootFresh));
    assertEquals(List.of(), Cli.names(jvmTmp), "no vertx-cache folder, nothing of the JVM in its temporary folder");

    try (ChildJvm second = ChildJvm.hostmesh(jvm, Map.of(), "run", "--root", root.toString())) {
      second.await(l -> Cli.isState(l, "chronyd", "active"), LIMIT);
      assertFalse(chronyd.isAlive(), "the killed mesh's chronyd is gone (killed with it, or stopped by this start)");
      List<String> out = second.lines();
      assertFalse(out.stream().anyMatch(l -> l.contains("Another chronyd") || Cli.isFailure(l)), String.join("\n", out));
      second.process().destroy(); // SIGTERM: a clean stop
      int code = second.waitFor(LIMIT);
      assertTrue(code == 0 || code == 143, "exit code " + code);
    }
    assertFalse(chronyd.isAlive());
    assertTrue(Cli.pidIn(pidFile).flatMap(ProcessHandle::of).map(h -> !h.isAlive()).orElse(true), "no chronyd of the root runs");
    assertEquals(List.of(), Cli.names(jvmTmp));
  }
}
