package io.hostmesh.mesh;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads {@code hostmesh.json} strictly and checks the types of the keys the mesh and the
 * launcher read themselves, so a mistake is reported once at start with the file, the line and
 * the key ({@link MeshSettings.Invalid}) instead of as a {@code ClassCastException} later. Keys of
 * units and hooks ({@code units.<name>.*}, {@code bridge}, {@code watchdog}) are checked by their
 * owners; unknown keys are left alone.
 */
final class SettingsFile {
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private final Path file;
  private final Map<String, Integer> lines;

  private SettingsFile(Path file, Map<String, Integer> lines) {
    this.file = file;
    this.lines = lines;
  }

  /** Parses and checks {@code text}, the contents of {@code file}. */
  static JsonObject read(Path file, String text) throws MeshSettings.Invalid {
    Map<String, Integer> lines = keyLines(file, text);
    Object parsed;
    try {
      parsed = io.vertx.core.json.Json.decodeValue(text);
    } catch (RuntimeException e) { // keyLines parsed it already; kept for safety
      throw new MeshSettings.Invalid(file + ": not JSON: " + firstLine(e.getMessage()));
    }
    if (!(parsed instanceof JsonObject json)) {
      throw new MeshSettings.Invalid(file + ":1: the settings must be a JSON object { ... }");
    }
    new SettingsFile(file, lines).check(json);
    return json;
  }

  private void check(JsonObject json) throws MeshSettings.Invalid {
    JsonObject api = object(json, "api");
    if (api != null) {
      string(api, "api.host");
      Object port = api.getValue("port");
      if (port != null && !(port instanceof Integer p && p >= -1 && p <= 65535)) {
        throw invalid("api.port", "must be a TCP port 0-65535 (0 picks a free one, -1 turns the API off), not "
            + show(port));
      }
    }
    JsonObject units = object(json, "units");
    if (units != null) {
      for (String name : units.fieldNames()) {
        JsonObject unit = object(units, "units." + name);
        Object enabled = unit.getValue("enabled");
        if (enabled != null && !(enabled instanceof Boolean)) {
          throw invalid("units." + name + ".enabled", "must be true or false, not " + show(enabled));
        }
      }
    }
    JsonObject sim = object(json, "sim");
    if (sim != null && sim.getValue("record") != null) {
      if (!(sim.getValue("record") instanceof JsonArray record) || !record.stream().allMatch(String.class::isInstance)) {
        throw invalid("sim.record", "must be a list of program names, e.g. [\"udevadm\", \"iw\"], not " + show(sim.getValue("record")));
      }
    }
    JsonObject plugins = object(json, "plugins");
    if (plugins != null) {
      string(plugins, "plugins.dir");
    }
    JsonObject timeline = object(json, "timeline");
    if (timeline != null && timeline.getValue("size") != null
        && !(timeline.getValue("size") instanceof Integer n && n > 0)) {
      throw invalid("timeline.size", "must be a whole number above 0, not " + show(timeline.getValue("size")));
    }
    Object grace = json.getValue("stopGraceSeconds");
    if (grace != null && !(grace instanceof Number g && g.doubleValue() >= 0)) {
      throw invalid("stopGraceSeconds", "must be a number of seconds, not " + show(grace));
    }
    for (String key : new String[] {"watchdog", "bridge", "vertx"}) {
      object(json, key);
    }
  }

  /** The object at the last part of {@code key} in {@code parent}, null when absent; anything else is refused. */
  private JsonObject object(JsonObject parent, String key) throws MeshSettings.Invalid {
    Object v = parent.getValue(last(key));
    if (v == null || v instanceof JsonObject) {
      return (JsonObject) v;
    }
    throw invalid(key, "must be an object { ... }, not " + show(v));
  }

  private void string(JsonObject parent, String key) throws MeshSettings.Invalid {
    Object v = parent.getValue(last(key));
    if (v != null && !(v instanceof String)) {
      throw invalid(key, "must be a string, not " + show(v));
    }
  }

  private MeshSettings.Invalid invalid(String key, String problem) {
    Integer line = lines.get("/" + key.replace('.', '/'));
    return new MeshSettings.Invalid(file + (line == null ? "" : ":" + line) + ": " + key + " " + problem);
  }

  /** The line of every key, by JSON pointer ({@code /api/port}); refuses text that is not JSON, naming the line. */
  private static Map<String, Integer> keyLines(Path file, String text) throws MeshSettings.Invalid {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser p = JSON.createParser(text)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == JsonToken.FIELD_NAME) {
          lines.putIfAbsent(p.getParsingContext().pathAsPointer().toString(), p.currentTokenLocation().getLineNr());
        }
      }
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
      throw new MeshSettings.Invalid(file + (line > 0 ? ":" + line : "") + ": not JSON: " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new MeshSettings.Invalid(file + ": not readable as JSON: " + e.getMessage());
    }
    return lines;
  }

  private static String last(String key) {
    return key.substring(key.lastIndexOf('.') + 1);
  }

  private static String show(Object v) {
    return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v instanceof JsonObject ? "an object" : v);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
