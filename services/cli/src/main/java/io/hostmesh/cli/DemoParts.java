package io.hostmesh.cli;

import io.hostmesh.spi.DemoHook;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Finds the demo's {@link DemoHook}s (local HTTPS endpoint, throw-away CA, local NTP server).
 * They live in {@code hostmesh-demo.jar}, never in the device distribution: the jar named by
 * {@code -Dhostmesh.demo.jar} or {@code $HOSTMESH_DEMO_JAR}, else {@code hostmesh-demo.jar}
 * beside the running jar; on a development class path they are found directly.
 */
final class DemoParts {
  static final String JAR = "hostmesh-demo.jar";

  private DemoParts() {}

  /**
   * The hooks found; empty when there are no demo parts anywhere.
   *
   * @throws CliFailure when the demo jar is there but not usable (not a jar, a part that does not load)
   */
  static List<DemoHook> hooks() {
    ClassLoader parent = DemoParts.class.getClassLoader();
    Optional<Path> jar = jar();
    ClassLoader loader = jar.flatMap(DemoParts::loader).orElse(parent);
    List<DemoHook> hooks = new ArrayList<>();
    try {
      ServiceLoader.load(DemoHook.class, loader).forEach(hooks::add);
    } catch (java.util.ServiceConfigurationError | LinkageError e) {
      throw new CliFailure(ExitCodes.SOFTWARE, "the demo parts in " + jar.map(Path::toString).orElse("the class path")
          + " do not load (" + e.getMessage() + "): rebuild them with mvn -DskipTests package");
    }
    return hooks;
  }

  static Optional<Path> jar() {
    String named = System.getProperty("hostmesh.demo.jar", System.getenv("HOSTMESH_DEMO_JAR"));
    if (named != null && !named.isBlank()) {
      return Optional.of(Path.of(named)).filter(Files::isRegularFile);
    }
    try {
      Path self = Path.of(DemoParts.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path beside = self.resolveSibling(JAR);
      return Files.isRegularFile(self) && Files.isRegularFile(beside) ? Optional.of(beside) : Optional.empty();
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<ClassLoader> loader(Path jar) {
    try {
      return Optional.of(new URLClassLoader(new URL[] {jar.toUri().toURL()}, DemoParts.class.getClassLoader()));
    } catch (MalformedURLException e) {
      return Optional.empty();
    }
  }
}
