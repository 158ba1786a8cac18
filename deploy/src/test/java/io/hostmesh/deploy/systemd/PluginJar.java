package io.hostmesh.deploy.systemd;

import io.hostmesh.unit.UnitVerticle;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Writes a plugin jar as an integrator's would be: one unit class and its META-INF/services entry. */
final class PluginJar {
  private PluginJar() {}

  static Path write(Path jar, Class<? extends UnitVerticle> unit) throws IOException {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    String entry = unit.getName().replace('.', '/') + ".class";
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m);
        InputStream cls = unit.getClassLoader().getResourceAsStream(entry)) {
      if (cls == null) {
        throw new IOException("no class file " + entry);
      }
      j.putNextEntry(new JarEntry(entry));
      cls.transferTo(j);
      j.closeEntry();
      j.putNextEntry(new JarEntry("META-INF/services/" + UnitVerticle.class.getName()));
      j.write((unit.getName() + "\n").getBytes(StandardCharsets.UTF_8));
      j.closeEntry();
    }
    return jar;
  }
}
