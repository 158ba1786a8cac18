package io.hostmesh.schema.config;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * config.json read into a tree and then into a {@link DeviceConfig}: the one reading used by
 * config-watcher, {@code PATCH /v1/config} and {@code hostmesh config set}.
 *
 * <p>Parsing is strict: one JSON value, no trailing content (a truncated or doubled file is
 * refused), no duplicate keys (which one would win is undefined). Threading: stateless.
 */
public final class ConfigDocument {
  /** Where config.json lives on a device (under the device root in sim): the one place this path is written. */
  public static final String DEVICE_PATH = "/mnt/boot/config.json";

  private static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  private ConfigDocument() {}

  /** The mapper that reads and writes config.json. */
  public static ObjectMapper mapper() {
    return STRICT;
  }

  /**
   * The outcome of reading config.json: either a valid document and its typed model, or the
   * violations (never both).
   */
  public record Reading(ObjectNode document, DeviceConfig config, List<ConfigViolation> violations) {
    public boolean ok() {
      return violations.isEmpty();
    }

    /** The first violation, with a count of the others; for logs and {@link ConfigError}. */
    public ConfigViolation first() {
      ConfigViolation v = violations.get(0);
      return violations.size() == 1 ? v
          : new ConfigViolation(v.pointer(), v.reason() + " (and " + (violations.size() - 1) + " more)");
    }
  }

  /** Parses and validates the bytes of a config.json; never throws. */
  public static Reading read(byte[] bytes) {
    JsonNode tree;
    try {
      tree = STRICT.readTree(bytes);
    } catch (JsonParseException e) {
      return refused("", "not valid JSON: " + e.getOriginalMessage() + location(e));
    } catch (IOException | RuntimeException e) {
      return refused("", "not valid JSON: " + e.getMessage());
    }
    if (tree == null || tree.isMissingNode()) {
      return refused("", "empty file: no JSON value");
    }
    return check(tree);
  }

  /** Validates a tree already parsed; never throws. */
  public static Reading check(JsonNode tree) {
    List<ConfigViolation> violations = ConfigSchema.validate(tree);
    if (!violations.isEmpty()) {
      return new Reading(null, null, List.copyOf(violations));
    }
    ObjectNode doc = (ObjectNode) tree;
    return new Reading(doc, toConfig(doc), List.of());
  }

  private static Reading refused(String pointer, String reason) {
    return new Reading(null, null, List.of(new ConfigViolation(pointer, reason)));
  }

  private static String location(JsonParseException e) {
    return e.getLocation() == null ? ""
        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  /** The typed model of a valid document (see {@link DeviceConfig} for the meaning of each field). */
  public static DeviceConfig toConfig(ObjectNode doc) {
    JsonNode os = doc.path("os");
    JsonNode conn = os.path("network").path("connectivity");
    JsonNode mac = os.path("network").path("wifi").path("randomMacAddressScan");
    return new DeviceConfig(
        text(doc.get("hostname")),
        text(doc.get("uuid")),
        text(doc.get("apiEndpoint")),
        text(doc.get("deviceApiKey")),
        on(doc.get("developmentMode")),
        sshKeys(os.get("sshKeys")),
        udevRules(os.get("udevRules")),
        text(conn.get("uri")),
        text(conn.get("interval")),
        text(conn.get("response")),
        mac.isBoolean() ? mac.booleanValue() : null,
        text(doc.get("ntpServers")),
        text(doc.get("dnsServers")),
        text(doc.get("country")),
        text(doc.get("balenaRootCA")),
        on(doc.get("persistentLogging")),
        Collections.unmodifiableMap(plain(doc)));
  }

  /** jq {@code //}: absent, null and false mean "not set"; numbers are used as text. */
  private static String text(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode() || (n.isBoolean() && !n.booleanValue())) {
      return null;
    }
    return n.isTextual() ? n.textValue() : n.asText();
  }

  /** On only if {@code jq -r} prints {@code true}: boolean true or the string "true". */
  private static boolean on(JsonNode n) {
    return n != null && (n.isBoolean() ? n.booleanValue() : n.isTextual() && n.textValue().equals("true"));
  }

  private static List<String> sshKeys(JsonNode n) {
    if (n == null || !n.isArray()) {
      return null;
    }
    List<String> keys = new ArrayList<>();
    n.forEach(k -> keys.add(k.textValue()));
    return List.copyOf(keys);
  }

  private static Map<String, String> udevRules(JsonNode n) {
    if (n == null || !n.isObject()) {
      return null;
    }
    Map<String, String> rules = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      rules.put(e.getKey(), e.getValue().textValue());
    }
    return Collections.unmodifiableMap(rules);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> plain(ObjectNode doc) {
    return STRICT.convertValue(doc, LinkedHashMap.class);
  }

  /** Serialises a document the way hostmesh writes config.json: compact, keys in their order. */
  public static byte[] bytes(JsonNode doc) {
    try {
      return STRICT.writeValueAsBytes(doc);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise config.json", e);
    }
  }

  /** SHA-256 of the bytes, lower-case hex: identifies one version of the file ({@link ConfigStatus#digest()}). */
  public static String digest(byte[] bytes) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  static {
    // a config.json is small; refuse absurd nesting before it costs stack
    STRICT.getFactory().setStreamReadConstraints(
        com.fasterxml.jackson.core.StreamReadConstraints.builder().maxNestingDepth(64).build());
    STRICT.getFactory().disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
  }
}
