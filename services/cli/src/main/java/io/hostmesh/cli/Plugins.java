package io.hostmesh.cli;

import io.hostmesh.mesh.MeshSettings;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Integrators' units as plain jars: every {@code *.jar} in the plugins folder joins the class
 * path that {@link java.util.ServiceLoader} searches for units, API routes and run hooks. The
 * folder is {@code plugins.dir} in the mesh settings, else {@code $HOSTMESH_PLUGINS}, else
 * {@code /var/lib/hostmesh/plugins} under the device root.
 */
final class Plugins {
  private Plugins() {}

  static ClassLoader loader(MeshSettings settings) {
    ClassLoader parent = Plugins.class.getClassLoader();
    Path dir = folder(settings);
    if (!Files.isDirectory(dir)) {
      return parent;
    }
    List<URL> jars = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
        jars.add(p.toUri().toURL());
      }
    } catch (IOException e) {
      System.err.println("hostmesh: plugins folder " + dir + " not readable: " + e.getMessage());
      return parent;
    }
    if (!jars.isEmpty()) {
      System.err.println("hostmesh: loading " + jars.size() + " plugin jar(s) from " + dir);
    }
    return new URLClassLoader(jars.toArray(URL[]::new), parent);
  }

  static Path folder(MeshSettings settings) {
    String configured = settings.json().getJsonObject("plugins", new io.vertx.core.json.JsonObject()).getString("dir");
    if (configured == null) {
      configured = System.getenv("HOSTMESH_PLUGINS");
    }
    return configured != null ? Path.of(configured) : settings.root().resolve("var/lib/hostmesh/plugins");
  }
}
