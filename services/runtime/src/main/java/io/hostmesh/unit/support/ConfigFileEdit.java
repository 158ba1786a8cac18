package io.hostmesh.unit.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.hostmesh.platform.BlockingHostFiles;
import io.hostmesh.schema.config.ConfigDocument;
import io.hostmesh.schema.config.JsonTrees;
import io.hostmesh.schema.config.ConfigSchema;
import io.hostmesh.schema.config.ConfigViolation;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An edit of config.json as an outside editor makes it: read, JSON merge patch (RFC 7396),
 * validate, write a temporary file and rename it over the old one. Used by
 * {@code PATCH /v1/config} and {@code hostmesh config set}; config-watcher then sees an ordinary
 * file change. The same operation as the OS test suite's {@code writeConfigJsonProp}.
 *
 * <p>An edit repairs one key at a time: it is refused ({@link Refused}, nothing written) only
 * when a key it sets breaks the config.json rules; keys that were already bad elsewhere in the
 * file do not stop it and are returned as {@link Result#alreadyBad()} for a warning, as are keys
 * it sets that no unit reads ({@link Result#unknownKeys()}: kept). Nothing is written when the
 * current file is not valid JSON or not an object (it is never clobbered), or is not a regular
 * file (a FIFO is never opened). The file mode is kept.
 *
 * <p>Edits are serialised across processes ({@code hostmesh config set} and the mesh's
 * {@code PATCH /v1/config} are different JVMs): the read-modify-write holds an advisory lock
 * ({@link FileChannel#lock()}, an fcntl lock on Linux) on {@link #LOCK_PATH} under the device
 * root, and the new document still replaces the old one by an atomic rename. The lock file lives
 * in hostmesh's state folder, not next to config.json: on a device the boot partition is FAT and
 * shared with the OS updater, and config-watcher watches that folder. It is never deleted
 * (deleting a lock file lets two editors lock two different files); the kernel drops the lock
 * when its holder dies. Inside one JVM the edits are also serialised by a plain lock, because
 * a JVM may hold a file lock only once ({@code OverlappingFileLockException}). Editors that do
 * not take the lock (a text editor, the OS test suite's own helper) are not serialised.
 *
 * <p>Threading: blocking; call from a worker thread or the CLI.
 */
public final class ConfigFileEdit {
  /** config.json as a device path. */
  public static final String CONFIG_PATH = ConfigDocument.DEVICE_PATH;
  /** The lock file every edit of config.json holds, as a device path. */
  public static final String LOCK_PATH = "/var/lib/hostmesh/config.json.lock";
  private static final ReentrantLock LOCK = new ReentrantLock();

  private ConfigFileEdit() {}

  /**
   * What an edit did.
   *
   * @param document the document now on disk
   * @param bytes its bytes
   * @param changed false when the patch changed nothing (the file was not rewritten)
   * @param alreadyBad violations in keys the edit did not set: written as they were, still refused by config-watcher
   * @param unknownKeys keys the edit set that no unit reads (JSON pointers): kept
   */
  public record Result(ObjectNode document, byte[] bytes, boolean changed, List<ConfigViolation> alreadyBad,
      List<String> unknownKeys) {
    public Result {
      alreadyBad = List.copyOf(alreadyBad);
      unknownKeys = List.copyOf(unknownKeys);
    }

    public String digest() {
      return ConfigDocument.digest(bytes);
    }
  }

  /** The edit was refused; config.json is unchanged. */
  public static final class Refused extends Exception {
    private final transient List<ConfigViolation> violations;

    public Refused(ConfigViolation violation) {
      this(List.of(violation));
    }

    /** Refused for these violations (at least one) in the keys the edit sets. */
    public Refused(List<ConfigViolation> violations) {
      super(violations.get(0).toString());
      this.violations = List.copyOf(violations);
    }

    /** The first reason. */
    public ConfigViolation violation() {
      return violations.get(0);
    }

    /** Every violation in the keys the edit sets. */
    public List<ConfigViolation> violations() {
      return violations;
    }
  }

  /** Applies a merge patch to config.json under the root of {@code files}. */
  public static Result apply(BlockingHostFiles files, JsonNode patch) throws IOException, Refused {
    LOCK.lock();
    try (FileChannel lockFile = openLockFile(files); FileLock held = lockFile.lock()) {
      Optional<byte[]> current = current(files);
      JsonNode before = current.isEmpty() ? JsonNodeFactory.instance.objectNode() : parse(current.get());
      JsonNode after = mergePatch(before, patch);
      List<String> leaves = leaves(patch, "");
      List<ConfigViolation> own = new ArrayList<>();
      List<ConfigViolation> others = new ArrayList<>();
      for (ConfigViolation v : ConfigSchema.validate(after)) {
        // its own: at or inside a key it sets, or an object it set or merged into ({"dnsServers":{"a":1}})
        boolean mine = leaves.stream().anyMatch(l -> ConfigSchema.within(v.pointer(), l) || ConfigSchema.within(l, v.pointer()));
        (mine ? own : others).add(v);
      }
      if (!own.isEmpty()) {
        throw new Refused(own);
      }
      List<String> unknown = leaves.stream()
          .filter(l -> !l.isEmpty() && !patch.at(l).isNull() && !ConfigSchema.known(l)).toList();
      ObjectNode doc = (ObjectNode) after;
      if (current.isPresent() && after.equals(before)) {
        return new Result(doc, current.get(), false, others, unknown);
      }
      byte[] bytes = ConfigDocument.bytes(after);
      files.write(CONFIG_PATH, new String(bytes, StandardCharsets.UTF_8), mode(files));
      return new Result(doc, bytes, true, others, unknown);
    } finally {
      LOCK.unlock();
    }
  }

  /** The bytes of config.json, or empty when there is none; never opens anything but a regular file. */
  private static Optional<byte[]> current(BlockingHostFiles files) throws IOException, Refused {
    try {
      return Optional.of(ConfigDocument.readFile(files.resolve(CONFIG_PATH)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (ConfigDocument.NotRegularFile e) {
      throw new Refused(new ConfigViolation("", "the current " + CONFIG_PATH + " is " + e.getMessage()
          + "; replace it with a file, nothing was changed"));
    }
  }

  /** The current document; refused when it is not JSON or not an object, so it is never clobbered. */
  private static JsonNode parse(byte[] bytes) throws Refused {
    ConfigDocument.Reading r = ConfigDocument.read(bytes);
    if (r.refusedWhole()) {
      throw new Refused(new ConfigViolation("", "the current " + CONFIG_PATH + " is refused whole ("
          + r.first().reason() + "); fix it by hand, nothing was changed"));
    }
    return r.document();
  }

  /** The JSON pointers a merge patch sets or deletes: its members that are not objects or are empty ones, at any depth. */
  static List<String> leaves(JsonNode patch, String at) {
    if (patch == null || !patch.isObject() || patch.isEmpty()) {
      return List.of(at);
    }
    List<String> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.addAll(leaves(e.getValue(), ConfigViolation.child(at, e.getKey())));
    }
    return out;
  }

  /** Sets one dotted key ({@code os.network.connectivity.uri}); a JSON {@code null} value deletes it. */
  public static Result set(BlockingHostFiles files, String dottedKey, JsonNode value) throws IOException, Refused {
    return apply(files, patchForKey(dottedKey, value));
  }

  /**
   * The value of one dotted key in config.json, or empty when the key (or the file) is absent.
   *
   * @throws Refused when config.json is not a regular file, not JSON or not an object
   */
  public static Optional<JsonNode> get(BlockingHostFiles files, String dottedKey) throws IOException, Refused {
    String pointer = pointerOf(dottedKey);
    Optional<byte[]> current = current(files);
    if (current.isEmpty()) {
      return Optional.empty();
    }
    JsonNode n = parse(current.get()).at(pointer);
    return n.isMissingNode() ? Optional.empty() : Optional.of(n);
  }

  /** The JSON pointer of a dotted key: {@code os.network.wifi} → {@code /os/network/wifi}. */
  public static String pointerOf(String dottedKey) {
    return leaves(patchForKey(dottedKey, JsonNodeFactory.instance.nullNode()), "").get(0);
  }

  /** The merge patch that sets one dotted key: {@code a.b} = v → {@code {"a":{"b":v}}}. */
  public static ObjectNode patchForKey(String dottedKey, JsonNode value) {
    if (dottedKey == null || dottedKey.isEmpty()) {
      throw new IllegalArgumentException("the key must not be empty");
    }
    List<String> parts = List.of(dottedKey.split("\\.", -1));
    if (parts.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("invalid key '" + dottedKey + "': empty part between dots");
    }
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode o = root;
    for (int i = 0; i < parts.size() - 1; i++) {
      o = o.putObject(parts.get(i));
    }
    o.set(parts.get(parts.size() - 1), value == null ? JsonNodeFactory.instance.nullNode() : value);
    return root;
  }

  /** A command-line value: JSON when it parses as JSON, else the text as a string. */
  public static JsonNode parseValue(String text) {
    try {
      JsonNode n = JsonTrees.read(text);
      return n == null || n.isMissingNode() ? TextNode.valueOf(text) : n;
    } catch (IOException e) {
      return TextNode.valueOf(text);
    }
  }

  /** RFC 7396 JSON merge patch; neither argument is modified. */
  public static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (patch == null || !patch.isObject()) {
      return patch == null ? JsonNodeFactory.instance.nullNode() : patch.deepCopy();
    }
    ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
        : JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isNull()) {
        result.remove(e.getKey());
      } else {
        result.set(e.getKey(), mergePatch(result.get(e.getKey()), e.getValue()));
      }
    }
    return result;
  }

  private static FileChannel openLockFile(BlockingHostFiles files) throws IOException {
    files.mkdirs(LOCK_PATH.substring(0, LOCK_PATH.lastIndexOf('/')), null);
    // resolve() keeps the path inside the root; a link planted in place of the lock file is not followed
    return FileChannel.open(files.resolve(LOCK_PATH), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS);
  }

  private static Set<PosixFilePermission> mode(BlockingHostFiles files) {
    try {
      return Files.getPosixFilePermissions(files.resolve(CONFIG_PATH));
    } catch (IOException | UnsupportedOperationException e) {
      return null; // new file, or a FAT boot partition: the default mode
    }
  }
}
