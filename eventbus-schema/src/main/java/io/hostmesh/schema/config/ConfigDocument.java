package io.hostmesh.schema.config;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * config.json read into a tree and then into a {@link DeviceConfig}: the one reading used by
 * config-watcher, {@code PATCH /v1/config} and {@code hostmesh config set|check}.
 *
 * <p>Parsing is strict: one JSON value, no trailing content (a truncated or doubled file is
 * refused), no duplicate keys (which one would win is undefined). A document that is not JSON or
 * not an object is refused whole; in an object, each key is judged on its own
 * ({@link #effective}). Threading: stateless; {@link #readFile} blocks.
 */
public final class ConfigDocument {
  /** Where config.json lives on a device (under the device root in sim): the one place this path is written. */
  public static final String DEVICE_PATH = "/mnt/boot/config.json";

  private ConfigDocument() {}

  /**
   * A mapper with config.json's strictness, for tools that bind JSON to types (the command line,
   * tests). A device reads and writes config.json through {@link JsonTrees}, without one.
   */
  public static ObjectMapper mapper() {
    return Strict.MAPPER;
  }

  /** Built on first use: nothing on a device needs it. */
  private static final class Strict {
    static final ObjectMapper MAPPER = JsonMapper.builder(JsonTrees.strictFactory())
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
        .build();
  }

  /** A config.json larger than this is refused unread (a real one is a few KiB). */
  public static final long MAX_BYTES = 1 << 20;

  /**
   * The outcome of reading config.json.
   *
   * @param document the document when it is a JSON object (with or without violations), else {@code null}
   * @param config its typed model when nothing in it is refused, else {@code null}
   * @param violations every violation, in the order the rules check them
   */
  public record Reading(ObjectNode document, DeviceConfig config, List<ConfigViolation> violations) {
    /** Nothing is refused. */
    public boolean ok() {
      return violations.isEmpty();
    }

    /** The document as a whole is refused (not JSON, not an object): nothing in it may apply. */
    public boolean refusedWhole() {
      return document == null;
    }

    /** The first violation. */
    public ConfigViolation first() {
      return violations.get(0);
    }
  }

  /**
   * The bytes of config.json at {@code file}. Anything but a regular file (after symbolic links)
   * is refused before it is opened: a FIFO or a device node would block the reader in
   * {@code open(2)} or {@code read(2)} for ever. A file over {@link #MAX_BYTES} is refused unread.
   *
   * @throws java.nio.file.NoSuchFileException when there is no file
   * @throws NotRegularFile when it is a folder, FIFO, socket or device node
   * @throws IOException when it is too large or unreadable (the message says which)
   */
  public static byte[] readFile(Path file) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    if (!a.isRegularFile()) {
      throw new NotRegularFile(kind(file, a) + ", not a regular file; it was not opened");
    }
    if (a.size() > MAX_BYTES) {
      throw new IOException("larger than " + MAX_BYTES + " bytes");
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new IOException("larger than " + MAX_BYTES + " bytes");
      }
      return bytes;
    }
  }

  /** config.json is not a regular file (a folder, FIFO, socket or device node); the message says which. */
  public static final class NotRegularFile extends IOException {
    public NotRegularFile(String message) {
      super(message);
    }
  }

  private static String kind(Path file, BasicFileAttributes a) {
    if (a.isDirectory()) {
      return "a folder";
    }
    try {
      // stat(2) st_mode file type bits
      int type = (Integer) Files.getAttribute(file, "unix:mode") & 0170000;
      return switch (type) {
        case 0010000 -> "a FIFO";
        case 0140000 -> "a socket";
        case 0020000 -> "a character device";
        case 0060000 -> "a block device";
        default -> "a special file";
      };
    } catch (IOException | RuntimeException e) {
      return "a special file";
    }
  }

  /** Parses and validates the bytes of a config.json; never throws. */
  public static Reading read(byte[] bytes) {
    JsonNode tree;
    try {
      tree = JsonTrees.read(bytes);
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
    ObjectNode doc = tree != null && tree.isObject() ? (ObjectNode) tree : null;
    return new Reading(doc, doc != null && violations.isEmpty() ? toConfig(doc) : null, List.copyOf(violations));
  }

  /**
   * The document in force when {@code doc} has refused keys: {@code doc} with each refused key
   * ({@link ConfigSchema#keyOf}) put back to its value in {@code lastGood}, or left out when
   * {@code lastGood} has none (first boot). Every other key is taken from {@code doc}. The
   * result is valid; neither argument is modified.
   *
   * @param doc the document read (an object)
   * @param violations its violations
   * @param lastGood the document in force before, or {@code null}
   */
  public static ObjectNode effective(ObjectNode doc, List<ConfigViolation> violations, ObjectNode lastGood) {
    ObjectNode out = doc.deepCopy();
    for (int pass = 0; pass < 2 && !violations.isEmpty(); pass++) {
      for (ConfigViolation v : violations) {
        restore(out, ConfigSchema.keyOf(v.pointer()), pass == 0 ? lastGood : null);
      }
      // the last good value is valid by construction; a second pass only guards that promise
      violations = ConfigSchema.validate(out);
    }
    return out;
  }

  /** Sets the member at {@code pointer} to its value in {@code from}, or removes it when {@code from} has none. */
  private static void restore(ObjectNode doc, String pointer, ObjectNode from) {
    if (pointer.isEmpty()) {
      return;
    }
    JsonPointer p = JsonPointer.compile(pointer);
    String name = p.last().getMatchingProperty();
    JsonNode parent = doc.at(p.head());
    JsonNode good = from == null ? null : from.at(p);
    if (!(parent instanceof ObjectNode o)) {
      return; // the parent is itself refused and restored on its own
    }
    if (good == null || good.isMissingNode()) {
      o.remove(name);
    } else {
      o.set(name, good.deepCopy());
    }
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
    return (Map<String, Object>) JsonTrees.plain(doc);
  }

  /** Serialises a document the way hostmesh writes config.json: compact, keys in their order. */
  public static byte[] bytes(JsonNode doc) {
    return JsonTrees.bytes(doc);
  }

  /** SHA-256 of the bytes, lower-case hex: identifies one version of the file ({@link ConfigStatus#digest()}). */
  public static String digest(byte[] bytes) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
