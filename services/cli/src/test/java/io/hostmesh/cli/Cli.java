package io.hostmesh.cli;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs a {@code hostmesh} command line in this JVM with its output captured. */
record Cli(int code, String out, String err) {
  static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    // no autoflush, as picocli's own writers: what a command prints must be flushed by the command
    CommandLine cmd = Main.commandLine(args).setOut(new PrintWriter(new BufferedWriter(out)))
        .setErr(new PrintWriter(new BufferedWriter(err)));
    int code = cmd.execute(args);
    return new Cli(code, out.toString(), err.toString());
  }

  @Override
  public String toString() {
    return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
  }
}
