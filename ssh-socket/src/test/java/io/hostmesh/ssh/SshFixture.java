package io.hostmesh.ssh;

import static org.junit.jupiter.api.Assertions.fail;

import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.DevelopmentMode;
import io.hostmesh.schema.config.Projections.SshKeysConfig;
import io.hostmesh.schema.ssh.SshSocketState;
import io.hostmesh.schema.ssh.SshSocketStatus;
import io.hostmesh.schema.ssh.SshTopics;
import io.hostmesh.testing.SimDevice;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Shared SSH test material, made once per JVM: host keys, two client keys ("alice" is put in
 * config.json, "mallory" never is), an askpass script that answers the empty password; and
 * helpers to run the real {@code ssh}/{@code scp} clients with a deadline.
 */
final class SshFixture {
  static final Path DIR;
  static final Path ALICE;
  static final Path MALLORY;
  static final Path ASKPASS;
  private static final Path HOST_KEYS;
  private static final long CLIENT_TIMEOUT_SECONDS = 120;

  static {
    try {
      DIR = Files.createTempDirectory("hostmesh-ssh-fixture-");
      Runtime.getRuntime().addShutdownHook(new Thread(SshFixture::deleteDir));
      HOST_KEYS = Files.createDirectories(DIR.resolve("hostkeys"));
      for (String type : SshPaths.HOST_KEY_TYPES) {
        keygen(type, HOST_KEYS.resolve("ssh_host_" + type + "_key"));
      }
      ALICE = keygen("ed25519", DIR.resolve("alice"));
      MALLORY = keygen("ed25519", DIR.resolve("mallory"));
      ASKPASS = DIR.resolve("askpass");
      Files.writeString(ASKPASS, "#!/bin/sh\necho\n");
      Files.setPosixFilePermissions(ASKPASS, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private SshFixture() {}

  /** The public key line of a client key. */
  static String publicKey(Path key) {
    try {
      return Files.readString(Path.of(key + ".pub")).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A device with the three SSH units, the socket on a free loopback port, the host keys already
   * in place, and the given socket settings merged in.
   */
  static SimDevice device(Vertx vertx, JsonObject socketSettings, boolean virtualTime) {
    JsonObject socket = new JsonObject().put("port", 0).mergeIn(socketSettings);
    SimDevice.Builder b = SimDevice.builder(vertx)
        .unit(SshdGenKeysUnit::new).unit(OsSshKeysUnit::new).unit(SshSocketUnit::new)
        .external(ConfigTopics.SSH_KEYS, ConfigTopics.DEVELOPMENT_MODE)
        .settings(s -> s.put("units", new JsonObject().put("ssh-socket", socket)));
    if (virtualTime) {
      b.virtualTime();
    }
    SimDevice dev = b.build();
    installHostKeys(dev.root());
    return dev;
  }

  /** Latches config.json's keys and the development mode as config-watcher and development-features would. */
  static void configure(SimDevice dev, List<String> keys, boolean development) {
    dev.bus().publish(ConfigTopics.SSH_KEYS, new SshKeysConfig(keys));
    dev.bus().publish(ConfigTopics.DEVELOPMENT_MODE, new DevelopmentMode(development, keys != null && !keys.isEmpty()));
  }

  /** Starts the device, waits for the socket unit to be active, and returns the bound port. */
  static int start(SimDevice dev) {
    dev.start().await();
    dev.awaitUnit(SshSocketUnit.NAME, io.hostmesh.schema.unit.UnitState.ACTIVE).await();
    return dev.await(SshTopics.SOCKET_STATUS, s -> s.state() == SshSocketState.LISTENING).await().port();
  }

  static SshSocketStatus status(SimDevice dev) {
    return dev.bus().latest(SshTopics.SOCKET_STATUS).orElseThrow();
  }

  static void installHostKeys(Path root) {
    try {
      Path dir = Files.createDirectories(root.resolve("etc/ssh/hostkeys"));
      try (var s = Files.list(HOST_KEYS)) {
        for (Path p : s.toList()) {
          Path to = dir.resolve(p.getFileName());
          Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
          Files.setPosixFilePermissions(to, PosixFilePermissions.fromString(p.toString().endsWith(".pub") ? "rw-r--r--" : "rw-------"));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code ssh -i key root@127.0.0.1 command...}: public key only, no prompt. */
  static Result ssh(int port, Path key, String... command) {
    List<String> argv = new ArrayList<>(clientOptions("ssh", "-p", port));
    argv.addAll(List.of("-i", key.toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
        "-o", "PasswordAuthentication=no", "root@127.0.0.1"));
    argv.addAll(List.of(command));
    return run(argv, Map.of());
  }

  /** {@code ssh root@127.0.0.1 command...} answering the password prompt with an empty line, no key. */
  static Result sshEmptyPassword(int port, String... command) {
    List<String> argv = new ArrayList<>(List.of("setsid", "-w"));
    argv.addAll(clientOptions("ssh", "-p", port));
    argv.addAll(List.of("-o", "PubkeyAuthentication=no", "-o", "PasswordAuthentication=yes",
        "-o", "KbdInteractiveAuthentication=no", "-o", "PreferredAuthentications=password",
        "-o", "NumberOfPasswordPrompts=1", "root@127.0.0.1"));
    argv.addAll(List.of(command));
    return run(argv, Map.of("SSH_ASKPASS", ASKPASS.toString(), "SSH_ASKPASS_REQUIRE", "force", "DISPLAY", ":0"));
  }

  /** {@code scp -i key from to}; remote paths are {@code root@127.0.0.1:/path}. */
  static Result scp(int port, Path key, String from, String to) {
    List<String> argv = new ArrayList<>(clientOptions("scp", "-P", port));
    argv.addAll(List.of("-q", "-i", key.toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", from, to));
    return run(argv, Map.of());
  }

  static List<String> clientOptions(String program, String portFlag, int port) {
    return List.of(program, "-F", "/dev/null", portFlag, Integer.toString(port),
        "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
        "-o", "ConnectTimeout=30");
  }

  /** Runs a client to its end (killed after a deadline, then the test fails). */
  static Result run(List<String> argv, Map<String, String> env) {
    try {
      ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.environment().putAll(env);
      Process p = pb.start();
      CompletableFuture<String> out = drain(p.getInputStream());
      CompletableFuture<String> err = drain(p.getErrorStream());
      if (!p.waitFor(CLIENT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        fail(argv + " did not end within " + CLIENT_TIMEOUT_SECONDS + " s");
      }
      return new Result(p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        in.transferTo(b);
        return b.toString(StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    });
  }

  /** Processes of this JVM (children and below) running sshd, ssh, scp or the namespace wrapper. */
  static List<ProcessHandle> sshProcesses() {
    return ProcessHandle.current().descendants()
        .filter(ProcessHandle::isAlive)
        .filter(h -> h.info().command().map(c -> c.endsWith("/sshd") || c.endsWith("/ssh") || c.endsWith("/scp")
            || c.endsWith("/unshare")).orElse(false))
        .toList();
  }

  /** Waits (bounded) until no sshd or ssh client of this JVM is left; fails naming the survivors. */
  /** Stops and deletes a device (may be null), then checks no sshd, ssh or scp is left. */
  static void stopAndCheck(SimDevice dev) {
    if (dev != null) {
      dev.stop().await();
      dev.close();
    }
    assertNoSshProcessesLeft();
  }

  static void assertNoSshProcessesLeft() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    List<ProcessHandle> left = sshProcesses();
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      left.forEach(h -> h.onExit().orTimeout(200, TimeUnit.MILLISECONDS).exceptionally(x -> null).join());
      left = sshProcesses();
    }
    if (!left.isEmpty()) {
      left.forEach(ProcessHandle::destroyForcibly);
      fail("processes left behind: " + left.stream().map(h -> h.pid() + " " + h.info().commandLine().orElse("?")).toList());
    }
  }

  /** Completes when {@code condition} holds, checking every 20 ms; fails after 10 s. */
  static io.vertx.core.Future<Void> poll(Vertx vertx, java.util.function.BooleanSupplier condition) {
    return io.hostmesh.platform.Poll.until(vertx, java.time.Duration.ofSeconds(10), java.time.Duration.ofMillis(20),
        "condition", condition);
  }

  /** A finished client. */
  record Result(int exit, String out, String err) {
    boolean ok() {
      return exit == 0;
    }

    @Override
    public String toString() {
      return "exit " + exit + ", out [" + out.strip() + "], err [" + err.strip() + "]";
    }
  }

  private static void deleteDir() {
    try (var walk = Files.walk(DIR)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp folder left behind is harmless
    }
  }

  private static Path keygen(String type, Path file) throws IOException {
    try {
      Process p = new ProcessBuilder("ssh-keygen", "-q", "-N", "", "-t", type, "-f", file.toString())
          .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IOException("ssh-keygen failed: " + out);
      }
      return file;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
