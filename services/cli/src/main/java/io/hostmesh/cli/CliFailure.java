package io.hostmesh.cli;

/**
 * A failure the command explains in one line, with the fix, and ends with {@code exitCode}
 * ({@link ExitCodes}). Thrown from a command's {@code call()}; {@link CliErrors} prints it as
 * {@code hostmesh <command>: <message>}.
 */
final class CliFailure extends RuntimeException {
  private final int exitCode;

  CliFailure(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
