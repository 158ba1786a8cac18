package io.hostmesh.deploy.plugin;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.deploy.support.ChildJvm;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example plugin as a plain jar in the plugins folder of a demo device: the mesh finds it,
 * starts it after time-sync-https-wait and the network, and {@code hostmesh status} lists it.
 */
@Timeout(180)
class ExamplePluginIT {
  private static final Duration LIMIT = Duration.ofSeconds(120);
  @TempDir Path root;

  @Test
  void droppedJarStartsAfterItsTargetsAndShowsInStatus() throws Exception {
    Path jar = root.resolve("var/lib/hostmesh/plugins/uplink-reporter.jar");
    pluginJar(jar);
    int port = freePort();
    try (ChildJvm demo = ChildJvm.hostmesh(List.of(), Map.of(), "demo", "--root", root.toString(), "--port", Integer.toString(port))) {
      demo.await(l -> l.contains("loading 1 plugin jar(s)"), LIMIT);
      String active = demo.await(l -> l.matches(".*\\buplink-reporter\\s+active\\b.*"), LIMIT);
      List<String> out = demo.lines();
      int activating = indexOf(out, ".*\\buplink-reporter\\s+activating\\b.*");
      int httpsDone = indexOf(out, ".*\\btimesync-https\\s+(exited|active|failed|skipped)\\b.*");
      assertTrue(httpsDone >= 0 && activating > httpsDone,
          "uplink-reporter must start after timesync-https settled:\n" + String.join("\n", out));
      assertTrue(active != null);

      try (ChildJvm status = ChildJvm.hostmesh(List.of(), Map.of(), "status", "--port", Integer.toString(port))) {
        String line = status.await(l -> l.contains("uplink-reporter"), LIMIT);
        assertTrue(line.contains("active") && line.contains("Example plugin"), line);
        status.waitFor(LIMIT);
      }
      demo.process().destroy(); // SIGTERM: clean stop
      int code = demo.waitFor(LIMIT);
      assertTrue(code == 0 || code == 143, "exit code " + code); // 143: ended by SIGTERM after a clean stop
    }
  }

  private static int indexOf(List<String> lines, String regex) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).matches(regex)) {
        return i;
      }
    }
    return -1;
  }

  /** What `mvn -f deploy/example-plugin package` makes: the plugin's classes and its service file. */
  static void pluginJar(Path jar) throws IOException {
    Files.createDirectories(jar.getParent());
    Path classes = Path.of("target/test-classes");
    Path services = Path.of("example-plugin/src/main/resources/META-INF/services/io.hostmesh.unit.UnitVerticle");
    try (OutputStream o = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(o);
         Stream<Path> walk = Files.walk(classes.resolve("com/example/uplink"))) {
      for (Path p : walk.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().endsWith("Test.class")).toList()) {
        j.putNextEntry(new JarEntry(classes.relativize(p).toString()));
        j.write(Files.readAllBytes(p));
        j.closeEntry();
      }
      j.putNextEntry(new JarEntry("META-INF/services/io.hostmesh.unit.UnitVerticle"));
      j.write(Files.readAllBytes(services));
      j.closeEntry();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
