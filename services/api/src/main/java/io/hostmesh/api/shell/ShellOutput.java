package io.hostmesh.api.shell;

/**
 * What one command of an SSH session printed, and its exit status ({@code POST /v1/shell/NAME}
 * answers the standard output as the body, the rest in headers).
 *
 * @param stdout standard output
 * @param stderr standard error
 * @param exit the exit status
 */
record ShellOutput(String stdout, String stderr, int exit) {
  static final ShellOutput OK = new ShellOutput("", "", 0);

  static ShellOutput out(String stdout) {
    return new ShellOutput(stdout, "", 0);
  }

  static ShellOutput out(String stdout, int exit) {
    return new ShellOutput(stdout, "", exit);
  }

  /** A failure: {@code message} (one or more lines) on standard error. */
  static ShellOutput error(int exit, String message) {
    return new ShellOutput("", message.endsWith("\n") ? message : message + "\n", exit);
  }

  /** This output as a completed future, for commands that answer at once. */
  io.vertx.core.Future<ShellOutput> now() {
    return io.vertx.core.Future.succeededFuture(this);
  }

  /** Both outputs of two commands (or two units) one after the other; the worse exit status. */
  ShellOutput then(ShellOutput next) {
    return new ShellOutput(stdout + next.stdout, stderr + next.stderr, Math.max(exit, next.exit));
  }
}
