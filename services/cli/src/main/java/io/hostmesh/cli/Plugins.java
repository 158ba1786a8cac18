package io.hostmesh.cli;

import io.hostmesh.mesh.MeshSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Integrators' units as plain jars: every {@code *.jar} in the plugins folder joins the class
 * path that {@link java.util.ServiceLoader} searches for units, API routes and run hooks. The
 * folder is {@code plugins.dir} in the mesh settings, else {@code $HOSTMESH_PLUGINS}, else
 * {@code /var/lib/hostmesh/plugins} under the device root.
 *
 * <p>A jar that cannot be used is skipped with one line saying which and why (not a zip file, a
 * service file naming a class the jar does not hold), instead of silently finding nothing in it
 * or failing the whole mesh when the service loader trips over it.
 */
final class Plugins {
  /** The service files a plugin may hold. */
  static final List<String> SERVICES = List.of("io.hostmesh.unit.UnitVerticle", "io.hostmesh.spi.ApiRoutes",
      "io.hostmesh.spi.RunHook");

  private Plugins() {}

  static ClassLoader loader(MeshSettings settings, PrintWriter err) {
    ClassLoader parent = Plugins.class.getClassLoader();
    Path dir = folder(settings);
    if (!Files.isDirectory(dir)) {
      return parent;
    }
    List<Path> jars = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      jars.addAll(s.filter(f -> f.toString().endsWith(".jar")).sorted().toList());
    } catch (IOException e) {
      err.println("hostmesh: plugins folder " + dir + " not readable, no plugins loaded: " + e.getMessage());
      return parent;
    }
    List<Path> usable = new ArrayList<>();
    List<List<String>> providers = new ArrayList<>();
    for (Path jar : jars) {
      try {
        providers.add(providers(jar));
        usable.add(jar);
      } catch (IOException e) {
        err.println("hostmesh: plugin jar " + jar + " skipped: not a readable jar (" + e.getMessage() + ")");
      }
    }
    // a provider may need classes of another plugin jar, so each is checked against all of them
    URLClassLoader all = new URLClassLoader(urls(usable), parent);
    List<Path> good = new ArrayList<>();
    for (int i = 0; i < usable.size(); i++) {
      String missing = missing(providers.get(i), all);
      if (missing == null) {
        good.add(usable.get(i));
      } else {
        err.println("hostmesh: plugin jar " + usable.get(i) + " skipped: " + missing);
      }
    }
    closeQuietly(all);
    if (!good.isEmpty()) {
      err.println("hostmesh: loading " + good.size() + " plugin jar(s) from " + dir);
    }
    err.flush();
    return new URLClassLoader(urls(good), parent);
  }

  /** The provider classes the jar's service files name; fails when it is not a zip file. */
  static List<String> providers(Path jar) throws IOException {
    List<String> names = new ArrayList<>();
    try (JarFile j = new JarFile(jar.toFile())) {
      for (String service : SERVICES) {
        JarEntry e = j.getJarEntry("META-INF/services/" + service);
        if (e == null) {
          continue;
        }
        try (InputStream in = j.getInputStream(e)) {
          for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            String name = line.replaceAll("#.*", "").strip();
            if (!name.isEmpty()) {
              names.add(service + ": " + name);
            }
          }
        }
      }
    }
    return names;
  }

  /** Why a listed provider cannot be loaded, or null when each can. */
  private static String missing(List<String> providers, ClassLoader loader) {
    for (String p : providers) {
      String service = p.substring(0, p.indexOf(": "));
      String name = p.substring(p.indexOf(": ") + 2);
      try {
        Class.forName(name, false, loader);
      } catch (ClassNotFoundException e) {
        return "META-INF/services/" + service + " names " + name + ", which is not in the jar";
      } catch (LinkageError e) {
        return name + " cannot be loaded: " + e;
      }
    }
    return null;
  }

  private static URL[] urls(List<Path> jars) {
    return jars.stream().map(p -> {
      try {
        return p.toUri().toURL();
      } catch (java.net.MalformedURLException e) {
        throw new IllegalStateException(e); // a file path is always a URL
      }
    }).toArray(URL[]::new);
  }

  private static void closeQuietly(URLClassLoader l) {
    try {
      l.close();
    } catch (IOException ignored) {
      // only open jar files to let go of
    }
  }

  static Path folder(MeshSettings settings) {
    String configured = settings.json().getJsonObject("plugins", new io.vertx.core.json.JsonObject()).getString("dir");
    if (configured == null) {
      configured = System.getenv("HOSTMESH_PLUGINS");
    }
    return configured != null ? Path.of(configured) : settings.root().resolve("var/lib/hostmesh/plugins");
  }
}
