package io.hostmesh.cli;

import io.hostmesh.schema.config.ConfigDocument;
import io.hostmesh.schema.config.ConfigSchema;
import io.hostmesh.schema.config.RefusedKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hostmesh config check [FILE]}: judges a config.json offline with config-watcher's own
 * rules and prints every refused key, one line each (JSON pointer, reason, the projections it
 * would hold back), then a summary; keys no unit reads are warned about on standard error.
 * Nothing is written, no mesh is needed.
 *
 * <p>Exit codes: 0 nothing refused; 65 a key is refused, or the file is refused whole (not
 * JSON, not an object, not a regular file, too large); 66 no such file; 74 unreadable.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Check config.json offline with config-watcher's rules; print every refused key.",
        "Exit 0 when nothing is refused, 65 when something is."})
final class ConfigCheck implements Callable<Integer> {
  @Option(names = "--root", defaultValue = "/", paramLabel = "DIR",
      description = "Device root whose <root>/mnt/boot/config.json is checked when FILE is not given (default: /).")
  Path root;

  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "The file to check.")
  Path file;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path target = file != null ? file : root.resolve(ConfigDocument.DEVICE_PATH.substring(1));
    try {
      return check(target, ConfigDocument.readFile(target), out, err);
    } catch (NoSuchFileException e) {
      err.println("hostmesh config check: no such file: " + target);
      return ConfigCommand.NO_INPUT;
    } catch (ConfigDocument.NotRegularFile e) {
      out.println("(document): " + e.getMessage());
      out.println(target + ": refused whole; nothing in it would apply");
      return ConfigCommand.REFUSED;
    } catch (IOException e) {
      err.println("hostmesh config check: cannot read " + target + ": " + e.getMessage());
      return ConfigCommand.IO_ERROR;
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static int check(Path target, byte[] bytes, PrintWriter out, PrintWriter err) {
    ConfigDocument.Reading reading = ConfigDocument.read(bytes);
    List<RefusedKey> refused = reading.violations().stream().map(RefusedKey::of).toList();
    for (RefusedKey k : refused) {
      out.println(k + (k.pointer().isEmpty() ? ""
          : k.projections().isEmpty() ? " (no unit reads it)" : " (holds back " + String.join(", ", k.projections()) + ")"));
    }
    for (String k : ConfigSchema.unknownKeys(reading.document())) {
      err.println("hostmesh config check: warning: unknown key " + ConfigCommand.dotted(k) + ": kept, no unit reads it");
    }
    if (reading.refusedWhole()) {
      out.println(target + ": refused whole; nothing in it would apply");
    } else if (refused.isEmpty()) {
      out.println(target + ": every key is valid");
    } else {
      out.println(target + ": " + refused.size() + (refused.size() == 1 ? " key" : " keys")
          + " refused; every other key would apply");
    }
    return refused.isEmpty() ? 0 : ConfigCommand.REFUSED;
  }
}
