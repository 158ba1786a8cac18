package io.hostmesh.cli;

import io.hostmesh.platform.Platforms;

import io.hostmesh.platform.HostPathException;
import io.hostmesh.unit.support.ConfigFileEdit;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hostmesh config}: edits config.json the way the OS test suite does (a JSON merge of
 * one key, written to a temporary file and renamed over the old one), so a running
 * config-watcher sees an ordinary external edit.
 *
 * <pre>
 * hostmesh config set --root /tmp/dev hostname my-device
 * hostmesh config set os.network.connectivity.uri '"http://example.com/check"'
 * hostmesh config set dnsServers null      # deletes the key
 * </pre>
 *
 * Exit codes: 0 done, 2 usage, 65 refused (invalid value or current file not JSON; nothing
 * written), 74 I/O error.
 */
@Command(name = "config", description = "Edit config.json.", mixinStandardHelpOptions = true,
    subcommands = {ConfigCommand.Set.class})
public final class ConfigCommand implements Callable<Integer> {
  /** Exit code of a refused edit (sysexits EX_DATAERR). */
  public static final int REFUSED = 65;
  /** Exit code of an I/O failure (sysexits EX_IOERR). */
  public static final int IO_ERROR = 74;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** {@code config set KEY VALUE}. */
  @Command(name = "set", mixinStandardHelpOptions = true,
      description = {"Set one key of config.json (dotted, e.g. os.network.connectivity.uri).",
          "VALUE is read as JSON when it parses as JSON, else as a string; null deletes the key."})
  public static final class Set implements Callable<Integer> {
    @Option(names = "--root", defaultValue = "/", paramLabel = "DIR",
        description = "Device root; config.json is <root>/mnt/boot/config.json (default: /).")
    Path root;

    @Parameters(index = "0", paramLabel = "KEY", description = "Dotted key.")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE", description = "JSON value, or text.")
    String value;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try {
        ConfigFileEdit.Result r = ConfigFileEdit.set(Platforms.files(root), key, ConfigFileEdit.parseValue(value));
        out.println(r.changed() ? "config.json: " + key + " updated" : "config.json: " + key + " unchanged");
        out.flush();
        return 0;
      } catch (ConfigFileEdit.Refused e) {
        err.println("hostmesh config set: refused: " + e.violation());
        err.flush();
        return REFUSED;
      } catch (IllegalArgumentException e) { // a malformed key, or a root that is not usable
        err.println("hostmesh config set: " + e.getMessage());
        err.flush();
        return e instanceof HostPathException ? IO_ERROR : 2;
      } catch (IOException e) {
        err.println("hostmesh config set: cannot write " + ConfigFileEdit.CONFIG_PATH + ": " + e.getMessage());
        err.flush();
        return IO_ERROR;
      }
    }
  }

  /** Runs the command alone: {@code java -cp ... io.hostmesh.cli.ConfigCommand set --root DIR KEY VALUE}. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new ConfigCommand()).execute(args));
  }
}
