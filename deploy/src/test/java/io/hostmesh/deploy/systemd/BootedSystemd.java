package io.hostmesh.deploy.systemd;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A Debian system booted with systemd as its PID 1, for the tests of deploy/systemd: the root
 * file system comes from {@code src/test/resources/systemd/debian-rootfs.sh} (mmdebstrap, cached
 * under {@code target/systemd-rootfs}), and runs under {@code systemd-nspawn --boot} with a
 * tmpfs overlay over it ({@code --volatile=overlay}: the cached tree is never written), its own
 * network namespace with loopback only ({@code --private-network}), and the host's JDK
 * bind-mounted read-only at its own path. No {@code --capability}: nspawn leaves CAP_SYS_TIME
 * out of the container's bounding set (the clock is not namespaced), and {@link #boot} checks it.
 *
 * <p>Commands run inside with {@code nsenter --all} into the namespaces of the container's
 * systemd. {@link #close} powers it off, and kills it if it does not go within 30 s.
 * Threading: one test thread at a time.
 */
final class BootedSystemd implements AutoCloseable {
  /** capabilities(7). */
  static final int CAP_SYS_TIME = 25;
  static final Path ROOTFS_SCRIPT = Path.of("src/test/resources/systemd/debian-rootfs.sh").toAbsolutePath();
  static final Path ROOTFS_CACHE = Path.of("target/systemd-rootfs").toAbsolutePath();
  private static final Duration BOOT_LIMIT = Duration.ofSeconds(90);
  private static final Duration POWEROFF_LIMIT = Duration.ofSeconds(30);
  private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  final String name;
  final Path work;
  private final Process nspawn;
  private final Path log;
  final long pid1;
  /** The JDK running this test, as bound into the container (same path inside). */
  final Path javaHome;

  private BootedSystemd(String name, Path work, Process nspawn, Path log, long pid1, Path javaHome) {
    this.name = name;
    this.work = work;
    this.nspawn = nspawn;
    this.log = log;
    this.pid1 = pid1;
    this.javaHome = javaHome;
  }

  /**
   * Skips the calling test class, with the reason, where this machine cannot boot a container;
   * under CI ({@code CI=true}, as .ci/run runs) the same reason fails it instead: CI must run it.
   */
  static void assumeBootable() {
    require("root".equals(System.getProperty("user.name")), "systemd-nspawn needs root");
    for (String[] p : new String[][] {{"mmdebstrap", "mmdebstrap"}, {"systemd-nspawn", "systemd-container"},
        {"nsenter", "util-linux"}, {"flock", "util-linux"}}) {
      require(program(p[0]) != null, p[0] + " is not installed (Debian package " + p[1] + "; ./test.sh installs it)");
    }
    require(Files.isDirectory(Path.of("/proc/self/ns")), "no /proc/self/ns: namespaces unavailable");
  }

  /** A precondition: skips with {@code why}, or fails with it under CI. */
  static void require(boolean holds, String why) {
    if (!holds && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(why + " (CI=true: this test must run in CI, not skip)");
    }
    assumeTrue(holds, why);
  }

  /**
   * Makes (or reuses) the root file system, boots it, waits for {@code systemctl
   * is-system-running}, and checks CAP_SYS_TIME is out of the container's bounding set.
   *
   * @param work a folder of this test, removed by {@link #close}
   * @param binds extra {@code --bind-ro=} arguments ({@code SRC:DEST})
   */
  static BootedSystemd boot(Path work, List<String> binds) throws IOException, InterruptedException {
    assumeBootable();
    Files.createDirectories(work);
    Path root = rootfs(work.resolve("rootfs.log"));
    Path javaHome = Path.of(System.getProperty("java.home")).toRealPath();
    String name = "hostmesh-it-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> cmd = new ArrayList<>(List.of(program("systemd-nspawn"), "--boot", "--register=no", "--keep-unit",
        "--private-network", "--volatile=overlay", "--console=read-only", "-D", root.toString(), "-M", name,
        "--bind-ro=" + javaHome));
    for (Path outside : jdkLinksOutside(javaHome)) {
      cmd.add("--bind-ro=" + outside);
    }
    binds.forEach(b -> cmd.add("--bind-ro=" + b));
    Path log = work.resolve("nspawn.log");
    Process nspawn = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    BootedSystemd c = null;
    try {
      long pid1 = awaitInit(nspawn, log);
      c = new BootedSystemd(name, work, nspawn, log, pid1, javaHome);
      long bnd = capabilities(pid1, "CapBnd");
      if ((bnd >>> CAP_SYS_TIME & 1) != 0) {
        throw new IllegalStateException("the container's bounding set holds CAP_SYS_TIME (CapBnd "
            + Long.toHexString(bnd) + "): a clock write inside would set the host's clock");
      }
      // systemctl fails ("Failed to connect to bus") until PID 1 listens: ask again until it answers
      long deadline = System.nanoTime() + BOOT_LIMIT.toNanos();
      Result running = c.exec(BOOT_LIMIT, "systemctl", "is-system-running", "--wait");
      while (running.out.contains("Failed to connect to bus") && System.nanoTime() < deadline) {
        Poll.pause(100);
        running = c.exec(BOOT_LIMIT, "systemctl", "is-system-running", "--wait");
      }
      if (!running.out.strip().equals("running") && !running.out.strip().equals("degraded")) {
        throw new IllegalStateException("container did not come up: " + running.out + "\n" + c.run("systemctl --failed --no-pager").out
            + "\n" + Files.readString(log));
      }
      return c;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      if (c != null) {
        c.close();
      } else {
        nspawn.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      throw e;
    }
  }

  /** The cached root file system, made first when missing. */
  static Path rootfs(Path scriptLog) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sh", ROOTFS_SCRIPT.toString(), ROOTFS_CACHE.toString())
        .redirectError(scriptLog.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(900, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      // e.g. the package archive is out of reach: skip with mmdebstrap's words (fail under CI)
      require(false, "debian-rootfs.sh could not make the root file system:\n" + Files.readString(scriptLog));
    }
    String[] lines = out.split("\n");
    return Path.of(lines[lines.length - 1]);
  }

  /** The container's systemd: nspawn's child once it runs {@code systemd}. */
  private static long awaitInit(Process nspawn, Path log) throws IOException {
    long deadline = System.nanoTime() + BOOT_LIMIT.toNanos();
    while (System.nanoTime() < deadline && nspawn.isAlive()) {
      Optional<ProcessHandle> child = nspawn.toHandle().children().findFirst();
      if (child.isPresent()) {
        Path comm = Path.of("/proc", Long.toString(child.get().pid()), "comm");
        try {
          if (Files.readString(comm).strip().equals("systemd")) {
            return child.get().pid();
          }
        } catch (IOException gone) {
          // not yet exec'd, or gone: look again
        }
      }
      Poll.pause(50);
    }
    if (!nspawn.isAlive()) {
      require(false, "systemd-nspawn cannot boot a container on this machine (exit " + nspawn.exitValue() + "): "
          + Files.readString(log).strip());
    }
    throw new IllegalStateException("systemd-nspawn did not start the container's systemd:\n" + Files.readString(log));
  }

  /** Folders outside the JDK its symbolic links point into (Debian: /etc/java-17-openjdk, the cacerts folder). */
  private static Set<Path> jdkLinksOutside(Path javaHome) throws IOException {
    Set<Path> out = new LinkedHashSet<>();
    try (Stream<Path> s = Files.walk(javaHome, 4)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (!Files.isSymbolicLink(p)) {
          continue;
        }
        Path target = p.getParent().resolve(Files.readSymbolicLink(p)).normalize();
        if (!target.startsWith(javaHome) && Files.exists(target, LinkOption.NOFOLLOW_LINKS) && target.isAbsolute()) {
          Path dir = target.getParent();
          if (dir != null && dir.startsWith("/etc")) {
            out.add(dir);
          }
        }
      }
    }
    // keep the outermost folders only
    out.removeIf(d -> out.stream().anyMatch(o -> !o.equals(d) && d.startsWith(o)));
    return out;
  }

  /** A bit set of {@code /proc/PID/status} ({@code CapEff}, {@code CapBnd}, ...). */
  static long capabilities(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseUnsignedLong(line.substring(field.length() + 1).strip(), 16);
      }
    }
    throw new IOException("no " + field + " in /proc/" + pid + "/status");
  }

  /** What a command inside printed (standard output and error together) and its exit code. */
  record Result(int code, String out) {
    boolean ok() {
      return code == 0;
    }
  }

  /** {@code sh -c script} inside the container, at most 60 s. */
  Result run(String script) throws IOException, InterruptedException {
    return exec(Duration.ofSeconds(60), "sh", "-c", script);
  }

  /** Like {@link #run}, but an exit code other than 0 fails the test with the output. */
  String sh(String script) throws IOException, InterruptedException {
    Result r = run(script);
    if (!r.ok()) {
      throw new AssertionError("inside " + name + ": `" + script + "` exited " + r.code + ":\n" + r.out);
    }
    return r.out;
  }

  /** A command inside the container, with a clean environment, killed after {@code limit}. */
  Result exec(Duration limit, String... argv) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(program("nsenter"), "--target", Long.toString(pid1), "--all",
        "env", "-i", "PATH=" + PATH, "LANG=C.UTF-8", "HOME=/root", "TERM=dumb", "SYSTEMD_PAGER=", "SYSTEMD_COLORS=0"));
    cmd.addAll(List.of(argv));
    Path out = Files.createTempFile(work, "exec", ".out");
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return new Result(124, "timed out after " + limit + ": " + String.join(" ", argv) + "\n" + Files.readString(out));
      }
      return new Result(p.exitValue(), Files.readString(out));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** {@code systemctl show UNIT -p NAME} value. */
  String property(String unit, String property) throws IOException, InterruptedException {
    return sh("systemctl show " + unit + " -p " + property + " --value").strip();
  }

  /** Polls {@code script}'s output until {@code done} holds, at most {@code limit}; returns that output. */
  String await(String script, Predicate<String> done, Duration limit, String what) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      last = run(script).out;
      if (done.test(last)) {
        return last;
      }
      Poll.pause(200);
    }
    throw new AssertionError(what + ": not within " + limit + "; last `" + script + "` said:\n" + last);
  }

  /** A path of the container's root, seen from the host (for reading files). */
  Path hostPath(String inside) {
    return Path.of("/proc", Long.toString(pid1), "root", inside.substring(1));
  }

  String nspawnLog() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no nspawn log: " + e.getMessage() + ")";
    }
  }

  /** Powers the container off (systemd stops every unit), kills it after 30 s; removes the work folder. */
  @Override
  public void close() {
    try {
      if (nspawn.isAlive()) {
        exec(Duration.ofSeconds(10), "systemctl", "poweroff", "--no-block");
        if (!nspawn.waitFor(POWEROFF_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
          // SIGKILL of the namespace's init ends every process in it
          new ProcessBuilder("kill", "-KILL", Long.toString(pid1)).start().waitFor(10, TimeUnit.SECONDS);
          nspawn.destroyForcibly();
          nspawn.waitFor(POWEROFF_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    } catch (IOException | InterruptedException e) {
      nspawn.destroyForcibly();
    } finally {
      // nspawn's mount propagation folder of this machine: left behind when it was killed
      deleteTree(Path.of("/run/systemd/nspawn/propagate", name));
      deleteTree(work);
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a folder under target/
    }
  }

  static String program(String name) {
    for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return Path.of(dir, name).toString();
      }
    }
    return null;
  }

  /** Bounded waits without Thread.sleep (the project's rule): a monitor wait with a timeout. */
  static final class Poll {
    private Poll() {}

    static void pause(long millis) {
      Object o = new Object();
      synchronized (o) {
        try {
          o.wait(millis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
    }
  }
}
