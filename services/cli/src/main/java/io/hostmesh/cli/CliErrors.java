package io.hostmesh.cli;

import io.hostmesh.mesh.MeshSettings;
import java.io.PrintWriter;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * How {@code hostmesh} reports what went wrong: one line on standard error naming the command,
 * the problem and the fix, and an exit code from {@link ExitCodes} — never a stack trace (unless
 * {@code HOSTMESH_DEBUG} is set, for a bug).
 */
final class CliErrors {
  /** Options that hold a TCP port, in any command, including commands added later. */
  private static final Set<String> PORT_OPTIONS = Set.of("--port", "--ssh-port");

  private CliErrors() {}

  /** Installs the handlers on {@code cl} and its subcommands. */
  static CommandLine install(CommandLine cl) {
    cl.setParameterExceptionHandler(CliErrors::usage);
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> failed(e, commandLine));
    cl.setExecutionStrategy(parseResult -> {
      checkPorts(parseResult);
      return new CommandLine.RunLast().execute(parseResult);
    });
    return cl;
  }

  /** A bad command line: {@code hostmesh run: Unknown option: '--x' (see hostmesh run --help)}, exit 64. */
  private static int usage(ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    String name = cl.getCommandSpec().qualifiedName();
    err.println(name + ": " + oneLine(e.getMessage()) + " (see " + name + " --help)");
    err.flush();
    return ExitCodes.USAGE;
  }

  private static int failed(Exception e, CommandLine cl) {
    PrintWriter err = cl.getErr();
    String name = cl.getCommandSpec().qualifiedName();
    int code;
    if (e instanceof CliFailure f) {
      err.println(name + ": " + f.getMessage());
      code = f.exitCode();
    } else if (e instanceof MeshSettings.Invalid s) {
      err.println(name + ": settings not valid: " + s.getMessage());
      code = ExitCodes.CONFIG;
    } else {
      err.println(name + ": internal error: " + oneLine(String.valueOf(e))
          + (debug() ? "" : " (HOSTMESH_DEBUG=1 prints the stack trace)"));
      if (debug()) {
        e.printStackTrace(err);
      }
      code = ExitCodes.SOFTWARE;
    }
    err.flush();
    return code;
  }

  /** Every port option of the chosen commands must be a TCP port: picocli only knows it is an int. */
  private static void checkPorts(ParseResult result) {
    for (ParseResult r = result; r != null; r = r.subcommand()) {
      for (OptionSpec o : r.matchedOptions()) {
        if (PORT_OPTIONS.contains(o.longestName()) && o.getValue() instanceof Integer port && (port < 0 || port > 65535)) {
          throw new ParameterException(r.commandSpec().commandLine(),
              o.longestName() + " must be a TCP port 0-65535, not " + port);
        }
      }
    }
  }

  private static boolean debug() {
    String d = System.getenv("HOSTMESH_DEBUG");
    return d != null && !d.isEmpty() && !d.equals("0");
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").strip();
  }
}
