package io.hostmesh.deploy.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.deploy.support.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code hostmesh demo} stopped with SIGTERM leaves nothing behind, whenever the signal comes: its
 * temporary device root and its NTP server's folder are removed and its chronyds are gone. Before,
 * a SIGTERM while the demo prepared its parts (the root laid out, the throw-away CA, the NTP
 * server: about a second) left the root in the temporary folder until the next demo tidied it.
 */
@Timeout(180)
class DemoSigtermIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);

  @TempDir
  Path tmp;

  @ParameterizedTest(name = "SIGTERM at \"{0}\"")
  @ValueSource(strings = {"demo device root: ", "all "})
  void aDemoStoppedWithSigtermLeavesNothingBehind(String moment) throws Exception {
    Path jvmTmp = Files.createDirectories(tmp.resolve("jvm-tmp"));
    String root;
    try (ChildJvm demo = ChildJvm.hostmesh(List.of("-Djava.io.tmpdir=" + jvmTmp), Map.of(), "demo")) {
      // the first line names the root; "all N units settled" comes once the device runs
      root = demo.await(l -> l.startsWith("demo device root: "), LIMIT);
      String at = demo.await(l -> l.startsWith(moment), LIMIT);
      demo.process().destroy(); // SIGTERM
      int code = demo.waitFor(LIMIT);
      assertTrue(code == 0 || code == 143, "exit code " + code + "\n" + String.join("\n", demo.lines()));
      assertTrue(root.contains(jvmTmp.toString()), root);
      try (Stream<Path> left = Files.list(jvmTmp)) {
        assertEquals(List.of(), left.toList(), "left behind after a SIGTERM at: " + at);
      }
    }
    // the demo's own chronyd and its NTP server's: their folders were in jvmTmp
    List<String> daemons = ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(jvmTmp.toString()))
        .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
        .toList();
    assertEquals(List.of(), daemons, "processes of the stopped demo");
  }
}
