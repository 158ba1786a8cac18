package io.hostmesh.deploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An integrator's plugin project (deploy/example-plugin, built on its own against the installed
 * hostmesh artifacts) gets the runtime, the bus records and the testkit, and none of the
 * front-end libraries: no Vert.x Web (server or client), picocli, Prometheus registry or
 * BouncyCastle, in any scope. Runs Maven offline on the plugin's pom; needs hostmesh installed
 * in the local repository ({@code mvn -B -q install -DskipTests}), else it is skipped saying so.
 */
@Timeout(300)
class ExamplePluginDependenciesIT {
  /** groupId:artifactId prefixes a plugin must not get. */
  static final List<String> FORBIDDEN = List.of("io.vertx:vertx-web:", "io.vertx:vertx-web-client:",
      "io.vertx:vertx-web-common:", "info.picocli:", "io.micrometer:micrometer-registry-prometheus",
      "org.bouncycastle:");

  @TempDir Path tmp;

  @Test
  void pluginGetsTheRuntimeAndTestkitButNoFrontEndLibrary() throws Exception {
    Path repo = Path.of(System.getProperty("user.home"), ".m2", "repository", "io", "hostmesh");
    for (String module : List.of("runtime", "testkit", "eventbus-schema")) {
      assumeTrue(Files.isDirectory(repo.resolve(module).resolve("0.1.0-SNAPSHOT")),
          "io.hostmesh:" + module + ":0.1.0-SNAPSHOT is not in ~/.m2 - run `mvn -B -q install -DskipTests` first");
    }
    Path pom = projectDir().resolve("example-plugin/pom.xml");
    Path list = tmp.resolve("dependencies.txt");
    Path log = tmp.resolve("mvn.log");
    // the plugin version is pinned: an integrator's pom names none, and Maven's default is too old
    Process mvn = new ProcessBuilder("mvn", "-B", "-o", "-q", "-f", pom.toString(),
        "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:list", "-DoutputFile=" + list, "-DoutputScope=true",
        "-DexcludeTransitive=false")
        .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(new File("/dev/null")).start();
    if (!mvn.waitFor(240, TimeUnit.SECONDS)) {
      mvn.destroyForcibly().waitFor();
      throw new AssertionError("mvn dependency:list did not end within 240 s: " + Files.readString(log));
    }
    assertEquals(0, mvn.exitValue(), "mvn dependency:list on the example plugin: " + Files.readString(log));
    List<String> deps = Files.readAllLines(list, StandardCharsets.UTF_8).stream().map(String::strip)
        .filter(l -> l.matches("[\\w.-]+:[\\w.-]+:.*")).toList();
    assertTrue(deps.stream().anyMatch(d -> d.startsWith("io.hostmesh:runtime:")), "runtime in " + deps);
    assertTrue(deps.stream().anyMatch(d -> d.startsWith("io.hostmesh:eventbus-schema:")), "eventbus-schema in " + deps);
    assertTrue(deps.stream().anyMatch(d -> d.startsWith("io.hostmesh:testkit:") && d.contains(":test")), "testkit (test) in " + deps);
    List<String> bad = deps.stream().filter(d -> FORBIDDEN.stream().anyMatch(d::startsWith)).toList();
    assertTrue(bad.isEmpty(), "a plugin must not get " + bad + "; all dependencies: " + deps);
  }

  /** deploy's folder: surefire runs tests there, an IDE may run them from the repository root. */
  private static Path projectDir() throws IOException {
    Path here = Path.of("").toAbsolutePath();
    return Files.isDirectory(here.resolve("example-plugin")) ? here : here.resolve("deploy");
  }
}
