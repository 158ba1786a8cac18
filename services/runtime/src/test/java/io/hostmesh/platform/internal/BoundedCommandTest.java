package io.hostmesh.platform.internal;

import io.hostmesh.platform.ProcessResult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runner {@link DeviceClock} and {@link HwclockRtc} use, with harmless commands (a test never
 * runs the clock-setting commands).
 */
@Timeout(30)
class BoundedCommandTest {

  @Test
  void aCommandThatFinishesReportsItsOutputAndExitCode() throws Exception {
    ProcessResult r = BoundedCommand.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(10));

    assertEquals(3, r.exitCode());
    assertEquals("out\n", r.stdout());
    assertEquals("err\n", r.stderr());
    assertFalse(r.timedOut());
  }

  @Test
  void theBoundCoversReadingOutputThatAProcessLeftBehindHoldsOpen() throws Exception {
    // the shell ends after half a second, its background sleep keeps the pipe: reading to the
    // end of the output would take 60 s (as HwclockRtc.read did before its timeout applied).
    // The half second puts the reader back in read() before the shell ends; had it been between
    // two reads, the JDK would have closed the pipe on the shell's exit and the run would end early.
    long start = System.nanoTime();
    ProcessResult r = BoundedCommand.run(List.of("sh", "-c", "sleep 60 & echo $!; sleep 0.5"), Duration.ofSeconds(2));
    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    Optional<ProcessHandle> leftBehind = ProcessHandle.of(Long.parseLong(r.stdout().trim()));
    try {
      assertTrue(r.timedOut(), r.toString());
      assertTrue(r.stderr().contains("exited with 0 but a process it left behind holds its output open"), r.stderr());
      assertTrue(tookMillis < 6000, "took " + tookMillis + " ms");
    } finally {
      // it is no longer our descendant; end it here, by its handle, if it is still our sleep
      leftBehind.filter(h -> h.info().command().orElse("").endsWith("/sleep")).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void aCommandThatIgnoresSigtermIsKilledAfterTheGrace() throws Exception {
    // an ignored signal stays ignored across exec, so sleep ignores SIGTERM too
    long start = System.nanoTime();
    ProcessResult r = BoundedCommand.run(List.of("sh", "-c", "trap '' TERM; echo ready; exec sleep 30"),
        Duration.ofMillis(500));
    long tookMillis = (System.nanoTime() - start) / 1_000_000;

    assertTrue(r.timedOut());
    assertEquals("ready\n", r.stdout());
    assertTrue(tookMillis < 5000, "took " + tookMillis + " ms");
  }
}
