package io.hostmesh.deploy.systemd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * hostmesh.service: a SIGTERM stop is a success (the JVM exits 143), and what it points to exists:
 * its {@code Documentation=} file is installed by the README's install steps, and the repository
 * files its comments name are there.
 */
class ServiceFileTest {
  private static final Path SERVICE = Path.of("systemd/hostmesh.service");
  private static final Path README = Path.of("../README.md");

  @Test
  void aStopBySigtermIsASuccess() throws Exception {
    List<String> lines = Files.readAllLines(SERVICE);
    assertTrue(lines.contains("KillSignal=SIGTERM"));
    assertTrue(lines.contains("SuccessExitStatus=143"), "the JVM exits 128 + SIGTERM after a clean stop");
  }

  @Test
  void everythingItNamesExists() throws Exception {
    String service = Files.readString(SERVICE);
    String readme = Files.readString(README);
    Matcher doc = Pattern.compile("(?m)^Documentation=file:(\\S+)$").matcher(service);
    assertTrue(doc.find(), service);
    String installed = doc.group(1);
    String file = Path.of(installed).getFileName().toString();
    assertTrue(readme.contains("install -D -m644 " + file + " " + installed),
        "README's install steps install " + installed + ", which Documentation= names");
    Matcher repoPath = Pattern.compile("(?m)^#.*?\\b((?:deploy|services)/[\\w./-]+\\.\\w+)").matcher(service);
    while (repoPath.find()) {
      assertTrue(Files.exists(Path.of("..").resolve(repoPath.group(1))), "the comment names " + repoPath.group(1));
    }
    Matcher execs = Pattern.compile("(?m)^ExecStartPre=-?(/usr/lib/hostmesh/\\S+)").matcher(service);
    while (execs.find()) {
      String name = Path.of(execs.group(1)).getFileName().toString();
      assertTrue(readme.contains("/" + name + " " + execs.group(1)) || readme.contains(name + " " + execs.group(1)),
          "README's install steps install " + execs.group(1));
    }
  }
}
