package io.hostmesh.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.hostmesh.platform.BlockingHostFiles;
import io.hostmesh.platform.HostPathException;
import io.hostmesh.platform.Platforms;
import io.hostmesh.schema.config.ConfigDocument;
import io.hostmesh.schema.config.ConfigViolation;
import io.hostmesh.schema.config.RefusedKey;
import io.hostmesh.unit.support.ConfigFileEdit;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hostmesh config}: reads, edits and checks config.json. Edits are made the way the OS
 * test suite makes them (a JSON merge of one key, written to a temporary file and renamed over
 * the old one), so a running config-watcher sees an ordinary external edit.
 *
 * <pre>
 * hostmesh config set --root /tmp/dev hostname my-device
 * hostmesh config set --json os.network.wifi.randomMacAddressScan true
 * hostmesh config set dnsServers null        # deletes the key; '"null"' sets the string "null"
 * hostmesh config unset dnsServers
 * hostmesh config get hostname
 * hostmesh config check [FILE]
 * </pre>
 *
 * <p>An edit repairs one key at a time: it is refused only when the key it sets is bad, and
 * warns (on standard error) about keys already bad elsewhere and about keys no unit reads.
 *
 * <p>Exit codes: 0 done; 1 ({@code get}) the key is not set; 64 usage (a malformed key); 65 refused: the value
 * breaks the key's rule, or the current file is refused whole (not JSON, not an object, not a
 * regular file) — nothing written ({@code check}: some key is refused); 66 ({@code get},
 * {@code check}) no such file, or no device root at {@code --root} (it is never created); 74 I/O error.
 */
@Command(name = "config", description = "Read, edit and check config.json.", mixinStandardHelpOptions = true,
    subcommands = {ConfigCommand.Set.class, ConfigCommand.Unset.class, ConfigCommand.Get.class, ConfigCheck.class})
public final class ConfigCommand implements Callable<Integer> {
  /** Exit code of {@code get} for a key that is not set. */
  public static final int NOT_SET = 1;
  /** Exit code of a usage error (sysexits EX_USAGE, as every hostmesh command). */
  public static final int USAGE = ExitCodes.USAGE;
  /** Exit code of a refused edit or a file with refused keys (sysexits EX_DATAERR). */
  public static final int REFUSED = 65;
  /** Exit code when the file to read does not exist (sysexits EX_NOINPUT). */
  public static final int NO_INPUT = 66;
  /** Exit code of an I/O failure (sysexits EX_IOERR). */
  public static final int IO_ERROR = 74;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return USAGE;
  }

  /** What every editing subcommand shares: the root, the output, the error handling. */
  abstract static class Edit implements Callable<Integer> {
    @Option(names = "--root", defaultValue = "/", paramLabel = "DIR",
        description = "Device root; config.json is <root>/mnt/boot/config.json (default: /).")
    Path root;

    @Spec
    CommandSpec spec;

    /** The command's own work; may throw what {@link #call()} turns into messages and exit codes. */
    abstract int run(BlockingHostFiles files, PrintWriter out, PrintWriter err) throws IOException, ConfigFileEdit.Refused;

    @Override
    public final Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      String me = "hostmesh config " + spec.name();
      if (!Files.isDirectory(root)) {
        err.println(me + ": no device root at " + root + (Files.exists(root) ? " (it is a file)" : "")
            + ": make one with: hostmesh sim init " + root);
        return NO_INPUT;
      }
      try {
        return run(Platforms.files(root), out, err);
      } catch (ConfigFileEdit.Refused e) {
        for (ConfigViolation v : e.violations()) {
          err.println(me + ": refused: " + v + hint(v));
        }
        if (!(this instanceof Get)) {
          err.println(me + ": nothing written");
        }
        return REFUSED;
      } catch (HostPathException e) { // a root that is not usable
        err.println(me + ": " + e.getMessage());
        return IO_ERROR;
      } catch (IllegalArgumentException e) { // a malformed key or VALUE
        err.println(me + ": " + e.getMessage());
        return USAGE;
      } catch (IOException e) {
        err.println(me + ": cannot " + (this instanceof Get ? "read " : "write ") + ConfigFileEdit.CONFIG_PATH
            + ": " + e.getMessage());
        return IO_ERROR;
      } finally {
        out.flush();
        err.flush();
      }
    }

    String hint(ConfigViolation v) {
      return "";
    }

    /** The warnings an edit that went through owes: keys already bad, keys no unit reads. */
    void warn(ConfigFileEdit.Result r, PrintWriter err) {
      String me = "hostmesh config " + spec.name();
      for (ConfigViolation v : r.alreadyBad()) {
        RefusedKey k = RefusedKey.of(v);
        err.println(me + ": warning: " + v.pointer() + " is already refused, left as it was: " + v.reason() + " ("
            + (k.projections().isEmpty() ? "no unit reads it" : "holds back " + String.join(", ", k.projections())) + ")");
      }
      for (String k : r.unknownKeys()) {
        err.println(me + ": warning: unknown key " + dotted(k) + ": kept, no unit reads it");
      }
    }
  }

  /** {@code config set KEY VALUE}. */
  @Command(name = "set", mixinStandardHelpOptions = true,
      description = {"Set one key of config.json (dotted, e.g. os.network.connectivity.uri).",
          "VALUE is a string unless --json is given; null deletes the key ('\"null\"' is the string null)."})
  public static final class Set extends Edit {
    @Option(names = "--json", description = "Read VALUE as JSON (true, 60, [\"a\"], {\"k\":\"v\"}).")
    boolean json;

    @Parameters(index = "0", paramLabel = "KEY", description = "Dotted key.")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE", description = "Text, or JSON with --json.")
    String value;

    @Override
    int run(BlockingHostFiles files, PrintWriter out, PrintWriter err) throws IOException, ConfigFileEdit.Refused {
      JsonNode v = value(value, json);
      ConfigFileEdit.Result r = ConfigFileEdit.set(files, key, v);
      out.println("config.json: " + key + (!r.changed() ? " unchanged" : v.isNull() ? " deleted" : " updated"));
      warn(r, err);
      return 0;
    }

    @Override
    String hint(ConfigViolation v) {
      return !json && v.reason().contains("found a string")
          ? " (VALUE is a string unless --json is given: hostmesh config set --json " + key + " " + value + ")" : "";
    }

    /**
     * A command-line VALUE: with {@code --json}, JSON; else a string, except {@code null} (JSON
     * null: deletes the key) and a double-quoted JSON string ({@code '"null"'} is the text null).
     */
    static JsonNode value(String text, boolean json) {
      if (json) {
        try {
          JsonNode n = ConfigDocument.mapper().readTree(text);
          if (n == null || n.isMissingNode()) {
            throw new IllegalArgumentException("--json: VALUE is empty, not JSON");
          }
          return n;
        } catch (JsonProcessingException e) {
          throw new IllegalArgumentException("--json: VALUE is not JSON: " + e.getOriginalMessage());
        }
      }
      if (text.equals("null")) {
        return JsonNodeFactory.instance.nullNode();
      }
      if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
        try {
          JsonNode n = ConfigDocument.mapper().readTree(text);
          if (n != null && n.isTextual()) {
            return n;
          }
        } catch (JsonProcessingException e) {
          // not a JSON string after all: the text as it is
        }
      }
      return TextNode.valueOf(text);
    }
  }

  /** {@code config unset KEY}. */
  @Command(name = "unset", mixinStandardHelpOptions = true, description = "Delete one key of config.json (dotted).")
  public static final class Unset extends Edit {
    @Parameters(index = "0", paramLabel = "KEY", description = "Dotted key.")
    String key;

    @Override
    int run(BlockingHostFiles files, PrintWriter out, PrintWriter err) throws IOException, ConfigFileEdit.Refused {
      ConfigFileEdit.Result r = ConfigFileEdit.set(files, key, JsonNodeFactory.instance.nullNode());
      out.println("config.json: " + key + (r.changed() ? " deleted" : " was not set"));
      warn(r, err);
      return 0;
    }
  }

  /** {@code config get KEY}. */
  @Command(name = "get", mixinStandardHelpOptions = true,
      description = {"Print one key of config.json (dotted): text as it is, anything else as JSON.",
          "Exit 1 when the key is not set."})
  public static final class Get extends Edit {
    @Option(names = "--json", description = "Print the value as JSON, text quoted.")
    boolean json;

    @Parameters(index = "0", paramLabel = "KEY", description = "Dotted key.")
    String key;

    @Override
    int run(BlockingHostFiles files, PrintWriter out, PrintWriter err) throws IOException, ConfigFileEdit.Refused {
      if (!files.exists(ConfigFileEdit.CONFIG_PATH)) {
        err.println("hostmesh config get: no config.json at " + files.resolve(ConfigFileEdit.CONFIG_PATH));
        return NO_INPUT;
      }
      Optional<JsonNode> v = ConfigFileEdit.get(files, key);
      if (v.isEmpty()) {
        err.println("hostmesh config get: " + key + " is not set");
        return NOT_SET;
      }
      out.println(v.get().isTextual() && !json ? v.get().textValue() : ConfigDocument.mapper().writeValueAsString(v.get()));
      return 0;
    }
  }

  /** A JSON pointer as the dotted key the commands take: {@code /os/sshKeys} → {@code os.sshKeys}. */
  static String dotted(String pointer) {
    if (pointer.isEmpty()) {
      return "(document)";
    }
    StringBuilder b = new StringBuilder();
    for (String part : pointer.substring(1).split("/", -1)) {
      b.append(b.length() == 0 ? "" : ".").append(part.replace("~1", "/").replace("~0", "~"));
    }
    return b.toString();
  }

  /** Runs the command alone: {@code java -cp ... io.hostmesh.cli.ConfigCommand set --root DIR KEY VALUE}. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new ConfigCommand()).execute(args));
  }
}
