package io.hostmesh.fleet;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A fleet scenario file, checked against the shipped JSON Schema ({@link #SCHEMA}) and the rules a
 * schema cannot say (the mixes' shares add up to 1, a window ends after it starts, what each kind of
 * event needs); every refusal names its JSON pointer. The accessors give the defaults.
 *
 * <p>Threading: immutable.
 */
public final class Scenario {
  /** The JSON Schema on the class path (also in services/fleet/src/main/resources). */
  public static final String SCHEMA = "/io/hostmesh/fleet/scenario.schema.json";
  static final String DEFAULT_START = "2030-01-01T00:00:00Z";
  static final String DEFAULT_BOOT_CLOCK = "2000-01-01T00:00:00Z";
  static final String DEFAULT_URI = "https://api.balena-cloud.com/connectivity-check";

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final SchemaCheck CHECK = new SchemaCheck(loadSchema());

  /** A scenario that breaks a rule: {@link #getMessage()} is the first violation, pointer first. */
  public static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<SchemaCheck.Violation> violations;

    Invalid(List<SchemaCheck.Violation> violations) {
      super(violations.get(0).toString() + (violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : ""),
          null, false, false);
      this.violations = List.copyOf(violations);
    }

    /** Every violation, as {@code /pointer: message}. */
    public List<String> all() {
      return violations.stream().map(Object::toString).toList();
    }
  }

  private final JsonObject json;

  private Scenario(JsonObject json) {
    this.json = json;
  }

  /** Parses and checks a scenario; {@link Invalid} names the first broken rule's pointer. */
  public static Scenario parse(String text) throws Invalid {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr();
      throw new Invalid(List.of(new SchemaCheck.Violation("", "not valid JSON" + where + ": " + e.getOriginalMessage())));
    }
    if (tree == null) {
      throw new Invalid(List.of(new SchemaCheck.Violation("", "empty file, expected a JSON object")));
    }
    List<SchemaCheck.Violation> v = CHECK.check(tree);
    if (v.isEmpty()) {
      rules(tree, v);
    }
    if (!v.isEmpty()) {
      throw new Invalid(v);
    }
    return new Scenario(new JsonObject(tree.toString()));
  }

  /** A scenario from a partition spec (already checked where the spec was made). */
  static Scenario of(JsonObject json) {
    return new Scenario(json);
  }

  private static void rules(JsonNode t, List<SchemaCheck.Violation> out) {
    JsonNode mixes = t.get("mixes");
    if (mixes != null) {
      double sum = 0;
      for (int i = 0; i < mixes.size(); i++) {
        sum += mixes.get(i).get("share").asDouble();
        range(mixes.get(i).get("rtcDriftPpm"), "/mixes/" + i + "/rtcDriftPpm", out);
        range(mixes.get(i).get("initialClockErrorSeconds"), "/mixes/" + i + "/initialClockErrorSeconds", out);
      }
      if (Math.abs(sum - 1) > 1e-9) {
        out.add(new SchemaCheck.Violation("/mixes", "the shares add up to " + sum + ", not 1"));
      }
    }
    for (String p : List.of("/network/outages", "/endpoint/outages", "/endpoint/captive", "/ntp/outages")) {
      JsonNode w = t.at(p);
      for (int i = 0; i < w.size(); i++) {
        if (w.get(i).get("to").asDouble() <= w.get(i).get("from").asDouble()) {
          out.add(new SchemaCheck.Violation(p + "/" + i + "/to", "must be after from (" + w.get(i).get("from") + ")"));
        }
      }
    }
    range(t.at("/ntp/syncDelaySeconds"), "/ntp/syncDelaySeconds", out);
    for (String p : List.of("startTime", "buildTime", "bootClock")) {
      if (t.has(p)) {
        try {
          Instant.parse(t.get(p).asText());
        } catch (DateTimeParseException e) {
          out.add(new SchemaCheck.Violation("/" + p, "not a valid instant: " + t.get(p).asText()));
        }
      }
    }
    if (out.isEmpty() && t.has("buildTime")
        && Instant.parse(t.get("buildTime").asText()).isAfter(Instant.parse(t.path("startTime").asText(DEFAULT_START)))) {
      out.add(new SchemaCheck.Violation("/buildTime", "must not be after startTime: no device runs an image built later"));
    }
    JsonNode events = t.path("events");
    for (int i = 0; i < events.size(); i++) {
      JsonNode e = events.get(i);
      String at = "/events/" + i;
      String need = switch (e.get("kind").asText()) {
        case "config-rollout" -> "set";
        case "hup" -> "version";
        case "endpoint-outage" -> "durationSeconds";
        default -> null;
      };
      if (need != null && !e.has(need)) {
        out.add(new SchemaCheck.Violation(at + "/" + need, "is required for a " + e.get("kind").asText() + " event"));
      }
    }
  }

  private static void range(JsonNode r, String at, List<SchemaCheck.Violation> out) {
    if (r != null && r.isObject() && r.get("min").asDouble() > r.get("max").asDouble()) {
      out.add(new SchemaCheck.Violation(at + "/max", "must not be less than min (" + r.get("min") + ")"));
    }
  }

  private static JsonNode loadSchema() {
    try (InputStream in = Scenario.class.getResourceAsStream(SCHEMA)) {
      if (in == null) {
        throw new IllegalStateException(SCHEMA + " is not on the class path");
      }
      return MAPPER.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The document (a copy). */
  public JsonObject json() {
    return json.copy();
  }

  /** The same scenario with another device count or seed (the command line's overrides). */
  public Scenario with(Integer devices, Long seed) {
    JsonObject j = json.copy();
    if (devices != null) {
      j.put("devices", devices);
    }
    if (seed != null) {
      j.put("seed", seed);
    }
    return new Scenario(j);
  }

  public String name() {
    return json.getString("name");
  }

  public int devices() {
    return json.getInteger("devices");
  }

  public long seed() {
    return json.getLong("seed", 1L);
  }

  public long durationMillis() {
    return Math.round(json.getDouble("durationSeconds") * 1000);
  }

  public long bucketSeconds() {
    return json.getJsonObject("report", new JsonObject()).getLong("bucketSeconds", FleetReport.DEFAULT_BUCKET_SECONDS);
  }

  Instant startTime() {
    return Instant.parse(json.getString("startTime", DEFAULT_START));
  }

  Instant buildTime() {
    String b = json.getString("buildTime");
    return b != null ? Instant.parse(b) : startTime().minusSeconds(30L * 86_400);
  }

  Instant bootClock() {
    return Instant.parse(json.getString("bootClock", DEFAULT_BOOT_CLOCK));
  }

  long bootSpreadMillis() {
    return millis(json.getValue("bootSpreadSeconds", 0));
  }

  JsonObject config() {
    return json.getJsonObject("config", new JsonObject());
  }

  JsonArray mixes() {
    return json.getJsonArray("mixes", new JsonArray().add(new JsonObject().put("name", "default").put("share", 1)));
  }

  JsonObject network() {
    return json.getJsonObject("network", new JsonObject());
  }

  JsonObject endpoint() {
    return json.getJsonObject("endpoint", new JsonObject());
  }

  JsonObject ntp() {
    return json.getJsonObject("ntp", new JsonObject());
  }

  JsonArray events() {
    return json.getJsonArray("events", new JsonArray());
  }

  String uri() {
    return endpoint().getString("uri", DEFAULT_URI);
  }

  static long millis(Object seconds) {
    return seconds == null ? 0 : Math.round(((Number) seconds).doubleValue() * 1000);
  }

  /** A value of a range (a number, or {min, max}) at {@code u} in [0, 1). */
  static double range(Object r, double dflt, double u) {
    if (r == null) {
      return dflt;
    }
    if (r instanceof Number n) {
      return n.doubleValue();
    }
    JsonObject o = (JsonObject) r;
    return Draw.between(o.getDouble("min"), o.getDouble("max"), u);
  }

  /** Windows (from..to in seconds) as virtual milliseconds. */
  static List<HttpsEndpoint.Window> windows(JsonArray a, String defaultMode) {
    List<HttpsEndpoint.Window> out = new ArrayList<>();
    if (a != null) {
      for (int i = 0; i < a.size(); i++) {
        JsonObject w = a.getJsonObject(i);
        out.add(new HttpsEndpoint.Window(millis(w.getValue("from")), millis(w.getValue("to")),
            w.getString("mode", w.getString("date", defaultMode))));
      }
    }
    return out;
  }
}
