package io.hostmesh.deploy.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.hostmesh.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** {@code hostmesh} run in the test's JVM, and small helpers of the process tests. */
final class Cli {
  private Cli() {}

  record Result(int code, String out, String err) {
    /** The single error line; fails on none, several, or a stack trace. */
    String line() {
      assertFalse(err.contains("\tat ") || err.contains("Exception"), "no stack trace:\n" + err);
      assertEquals(1, err.lines().count(), "one line:\n" + err);
      return err.strip();
    }
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  /** A simulated device root whose API and SSH take free ports. */
  static Path device(Path dir) {
    Result r = run("sim", "init", dir.toString(), "--port", "0", "--ssh-port", "0");
    assertEquals(0, r.code(), r.err());
    return dir;
  }

  static Optional<Long> pidIn(Path pidFile) {
    try {
      return Optional.of(Long.parseLong(Files.readString(pidFile).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** A line of the boot timeline where {@code unit} reached {@code state}. */
  static boolean isState(String line, String unit, String state) {
    return line.matches("\\s*\\d+\\.\\d+s\\s+" + java.util.regex.Pattern.quote(unit) + "\\s+" + state + "\\b.*");
  }

  /** A line of the boot timeline where some unit failed. */
  static boolean isFailure(String line) {
    return line.matches("\\s*\\d+\\.\\d+s\\s+\\S+\\s+failed\\b.*");
  }
}
