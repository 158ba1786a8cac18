package io.hostmesh.hostos;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** An {@code os-release} file: {@code KEY=value} lines, values optionally quoted. */
public record OsRelease(Map<String, String> values) {
  public OsRelease {
    values = Map.copyOf(values);
  }

  /** Parses the text of an os-release file; lines that are not {@code KEY=value} are ignored. */
  public static OsRelease parse(String text) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      String l = line.trim();
      int eq = l.indexOf('=');
      if (l.isEmpty() || l.startsWith("#") || eq <= 0) {
        continue;
      }
      String v = l.substring(eq + 1).trim();
      if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
        v = v.substring(1, v.length() - 1);
      }
      m.put(l.substring(0, eq).trim(), v);
    }
    return new OsRelease(m);
  }

  /** The os-release of a balenaOS {@code version}, as the sim writes it into a slot. */
  public static String render(String version) {
    return "ID=\"balena-os\"\n"
        + "NAME=\"balenaOS\"\n"
        + "VERSION=\"" + version + "\"\n"
        + "VERSION_ID=\"" + version + "\"\n"
        + "PRETTY_NAME=\"balenaOS " + version + "\"\n"
        + "META_BALENA_VERSION=\"" + version + "\"\n";
  }

  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key)).filter(v -> !v.isEmpty());
  }

  /** {@code VERSION}, or empty. */
  public String version() {
    return get("VERSION").orElse("");
  }

  /** {@code META_BALENA_VERSION}, or empty. */
  public String metaBalenaVersion() {
    return get("META_BALENA_VERSION").orElse("");
  }

  /** What rollback-check-version compares: {@code META_BALENA_VERSION}, falling back to {@code VERSION}. */
  public String effectiveVersion() {
    return get("META_BALENA_VERSION").or(() -> get("VERSION")).orElse("");
  }
}
