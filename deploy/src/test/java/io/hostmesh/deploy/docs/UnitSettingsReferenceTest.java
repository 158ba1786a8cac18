package io.hostmesh.deploy.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps README's table of {@code units.<name>.*} settings true: every key a unit reads from its
 * settings is a row, and every row is read. The table (between {@code <!-- units-settings:begin -->}
 * and {@code <!-- units-settings:end -->}) is the one place the settings are documented; this
 * test derives the (unit, key, file) triples from the sources and, when they differ, prints the
 * rows to add (with the default the code gives) or remove.
 *
 * <p>What counts as reading a setting, in every {@code src/main/java} of the repository:
 * <ul>
 *   <li>{@code unit().settings().getX("key", ...)} in a unit class; its unit is the name the class
 *       declares ({@code NAME = "..."} or {@code UnitDescriptor.named("...")})
 *   <li>{@code s.getX("key", ...)} and {@code helper(s, "key", ...)} in a {@code *Settings} class
 *       built by {@code XSettings.from(unit().settings() ...)}; its unit is that caller's
 *   <li>the settings every unit has: {@code enabled} ({@code MeshSettings.unitEnabled}) and the
 *       keys of {@code restart} ({@code MeshBuilder.withRestartSettings}), unit {@code <name>}
 * </ul>
 */
class UnitSettingsReferenceTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern UNIT_READ = Pattern.compile("unit\\(\\)\\.settings\\(\\)\\.get\\w+\\(\\s*\"([A-Za-z][\\w-]*)\"\\s*(?:,\\s*([^;]*?))?\\)");
  private static final Pattern SETTINGS_READ = Pattern.compile("\\bs\\.get\\w+\\(\\s*\"([A-Za-z][\\w-]*)\"\\s*(?:,\\s*([^;]*?))?\\)"
      + "|\\w+\\(\\s*s\\s*,\\s*\"([A-Za-z][\\w-]*)\"\\s*,\\s*([^;]*?)\\)");
  private static final Pattern DECLARED = Pattern.compile("static final String NAME = \"([^\"]+)\"|UnitDescriptor\\.named\\(\"([^\"]+)\"\\)");
  private static final Pattern BUILT_FROM = Pattern.compile("(\\w+Settings)\\.from\\(unit\\(\\)\\.settings\\(\\)");
  private static final Pattern ROW = Pattern.compile("^\\| `units\\.([^.`]+)\\.([^`]+)` \\|.*\\| `(\\w+\\.java)` \\|$");
  private static final String BEGIN = "<!-- units-settings:begin -->";
  private static final String END = "<!-- units-settings:end -->";

  /** One documented setting: unit (or {@code <name>}), key, the file that reads it. */
  record Setting(String unit, String key, String file) implements Comparable<Setting> {
    @Override
    public int compareTo(Setting o) {
      return (unit + "." + key + " " + file).compareTo(o.unit + "." + o.key + " " + o.file);
    }
  }

  @Test
  void theReadmeTableListsExactlyTheSettingsTheUnitsRead() throws IOException {
    Map<Setting, String> read = readInSources();
    assertTrue(read.size() > 20, "the scan found the settings: " + read.keySet());
    Set<Setting> documented = documented();
    List<String> problems = new ArrayList<>();
    read.forEach((s, dflt) -> {
      if (!documented.contains(s)) {
        problems.add("add:    | `units." + s.unit() + "." + s.key() + "` | " + dflt + " | WHAT IT DOES | `" + s.file() + "` |");
      }
    });
    documented.stream().filter(s -> !read.containsKey(s))
        .forEach(s -> problems.add("remove: units." + s.unit() + "." + s.key() + " (" + s.file() + " does not read it)"));
    if (!problems.isEmpty()) {
      fail("README.md's units.<name>.* table and the code differ:\n" + String.join("\n", problems));
    }
  }

  /** The settings read in the sources, each with the default expression the code gives. */
  static Map<Setting, String> readInSources() throws IOException {
    Map<String, String> sources = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(ROOT)) {
      for (Path p : walk.filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/main/java/")
          && !f.toString().contains("/target/")).toList()) {
        sources.put(p.getFileName().toString(), Files.readString(p));
      }
    }
    Map<Setting, String> out = new TreeMap<>();
    for (var e : sources.entrySet()) {
      String src = e.getValue();
      if (!src.contains("unit().settings()")) {
        continue;
      }
      String unit = declared(src).orElseThrow(() -> new AssertionError(e.getKey() + " reads unit settings but names no unit"));
      collect(UNIT_READ.matcher(src), unit, e.getKey(), out);
      Matcher built = BUILT_FROM.matcher(src);
      while (built.find()) {
        String file = built.group(1) + ".java";
        collect(SETTINGS_READ.matcher(sources.getOrDefault(file, "")), unit, file, out);
      }
    }
    String mesh = sources.get("MeshBuilder.java");
    int from = mesh.indexOf("private UnitDescriptor withRestartSettings");
    assertTrue(from >= 0, "MeshBuilder.java reads the restart settings in withRestartSettings");
    Matcher restart = Pattern.compile("r\\.(?:get\\w+|containsKey)\\(\"(\\w+)\"").matcher(mesh.substring(from, mesh.indexOf("\n  }\n", from)));
    while (restart.find()) {
      out.putIfAbsent(new Setting("<name>", "restart." + restart.group(1), "MeshBuilder.java"), "the unit's");
    }
    assertTrue(sources.get("MeshSettings.java").contains("getBoolean(\"enabled\", true)"));
    out.put(new Setting("<name>", "enabled", "MeshSettings.java"), "`true`");
    return out;
  }

  private static void collect(Matcher m, String unit, String file, Map<Setting, String> out) {
    while (m.find()) {
      String key = m.group(1) != null ? m.group(1) : m.group(3);
      String dflt = m.group(1) != null ? m.group(2) : m.group(4);
      out.putIfAbsent(new Setting(unit, key, file), dflt == null ? "none" : "`" + dflt.trim() + "`");
    }
  }

  private static Optional<String> declared(String src) {
    Matcher m = DECLARED.matcher(src);
    return m.find() ? Optional.of(m.group(1) != null ? m.group(1) : m.group(2)) : Optional.empty();
  }

  /** The rows of README's table. */
  static Set<Setting> documented() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int b = readme.indexOf(BEGIN);
    int e = readme.indexOf(END);
    assertTrue(b >= 0 && e > b, "README.md has the table between " + BEGIN + " and " + END);
    Set<Setting> rows = new TreeSet<>();
    for (String line : readme.substring(b, e).split("\n")) {
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        rows.add(new Setting(m.group(1), m.group(2), m.group(3)));
      }
    }
    return rows;
  }
}
