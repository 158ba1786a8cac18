package io.hostmesh.deploy.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hostmesh.deploy.support.ChildJvm;
import io.hostmesh.schema.config.ConfigDocument;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sim device run by {@code hostmesh run --profile sim} in a child JVM on its own loopback
 * address, logged into as balena's device suite does: a real {@code ssh} client with a key from
 * config.json's {@code os.sshKeys}, one connection per command string ({@code ssh ... 'COMMAND'}).
 */
final class SshDevice implements AutoCloseable {
  static final Path KEY;
  private static final Duration START_LIMIT = Duration.ofSeconds(90);
  private static final long CLIENT_TIMEOUT_SECONDS = 120;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern API = Pattern.compile("API on http://([0-9.]+):(\\d+).*");
  private static final Pattern SSH = Pattern.compile(".*\\[ssh-socket]\\[INFO] Listening on ([0-9.]+):(\\d+).*");

  static {
    try {
      Path dir = Files.createTempDirectory("hostmesh-shell-it-", PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rwx------")));
      KEY = dir.resolve("id_ed25519");
      Process p = new ProcessBuilder("ssh-keygen", "-q", "-N", "", "-t", "ed25519", "-f", KEY.toString())
          .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("ssh-keygen failed: " + new String(p.getInputStream().readAllBytes()));
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        KEY.toFile().delete();
        Path.of(KEY + ".pub").toFile().delete();
        dir.toFile().delete();
      }));
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What one command string gave. */
  record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + ", out [" + out.strip() + "], err [" + err.strip() + "]";
    }
  }

  final Path root;
  final String address;
  final String uuid;
  private final ChildJvm jvm;
  private final int apiPort;
  private volatile int sshPort;

  private SshDevice(Path root, String address, String uuid, ChildJvm jvm, int apiPort, int sshPort) {
    this.root = root;
    this.address = address;
    this.uuid = uuid;
    this.jvm = jvm;
    this.apiPort = apiPort;
    this.sshPort = sshPort;
  }

  /** An address of 127.0.0.0/8 no other test uses: {@code 127.<random>.<random>.<last>}. */
  static String[] addresses(int n) {
    int b = ThreadLocalRandom.current().nextInt(100, 250);
    int c = ThreadLocalRandom.current().nextInt(1, 250);
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      out[i] = "127." + b + "." + c + "." + (21 + i);
    }
    return out;
  }

  /**
   * Lays out a device root ({@code hostmesh sim init}), puts the test key in config.json (as the
   * suite's provisioning does: development mode, the key, persistent logging), merges
   * {@code units} into hostmesh.json, lets {@code config} edit config.json further, and runs it.
   */
  static SshDevice start(Path root, String address, JsonObject units, Consumer<ObjectNode> config) throws Exception {
    int init = io.hostmesh.cli.Main.execute(new PrintWriter(OutputStream.nullOutputStream()), new PrintWriter(System.err, true),
        "sim", "init", root.toString(), "--address", address, "--port", "0", "--ssh-port", "0");
    assertEquals(0, init, "sim init");
    Path configFile = root.resolve("mnt/boot/config.json");
    ObjectNode c = (ObjectNode) ConfigDocument.mapper().readTree(configFile.toFile());
    ObjectNode os = c.has("os") ? (ObjectNode) c.get("os") : c.putObject("os");
    ArrayNode keys = os.putArray("sshKeys");
    keys.add(Files.readString(Path.of(KEY + ".pub")).strip());
    c.put("developmentMode", true);
    c.put("persistentLogging", true);
    config.accept(c);
    Files.writeString(configFile, ConfigDocument.mapper().writeValueAsString(c));
    Path settingsFile = root.resolve("etc/hostmesh/hostmesh.json");
    JsonObject settings = new JsonObject(Files.readString(settingsFile));
    JsonObject merged = settings.getJsonObject("units", new JsonObject());
    units.forEach(e -> merged.put(e.getKey(), merged.getJsonObject(e.getKey(), new JsonObject()).mergeIn((JsonObject) e.getValue())));
    settings.put("units", merged);
    Files.writeString(settingsFile, settings.encodePrettily());

    ChildJvm jvm = ChildJvm.hostmesh(List.of("-Xmx256m"), Map.of(), "run", "--profile", "sim", "--root", root.toString());
    try {
      Matcher api = API.matcher(jvm.await(l -> API.matcher(l).matches(), START_LIMIT));
      api.matches();
      int ssh = sshPortSince(jvm, 0);
      jvm.await(l -> l.contains("units settled"), START_LIMIT);
      return new SshDevice(root, address, c.get("uuid").asText(), jvm, Integer.parseInt(api.group(2)), ssh);
    } catch (Throwable e) {
      jvm.close();
      throw e;
    }
  }

  /** The SSH port of the {@code n}th "Listening on" line (0: the first boot's): port 0 picks a new one each boot. */
  private static int sshPortSince(ChildJvm jvm, int skip) throws InterruptedException {
    // await() looks at every line again on each pass: count the matches of the whole output
    jvm.await(l -> jvm.lines().stream().filter(x -> SSH.matcher(x).matches()).count() > skip, START_LIMIT);
    String line = jvm.lines().stream().filter(x -> SSH.matcher(x).matches()).skip(skip).findFirst().orElseThrow();
    Matcher m = SSH.matcher(line);
    m.matches();
    return Integer.parseInt(m.group(2));
  }

  /**
   * After a reboot: waits until the {@code boot}th boot (1 the first) listens for SSH and its
   * API answers with a boot id other than {@code previous}; that boot id.
   */
  String awaitBoot(int boot, String previous) throws InterruptedException {
    sshPort = sshPortSince(jvm, boot - 1);
    long deadline = System.nanoTime() + START_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        String id = new JsonObject(api("/v1/boot")).getString("bootId");
        if (!id.equals(previous)) {
          return id;
        }
      } catch (IOException | RuntimeException between) {
        // the API of the new boot is not there yet
      }
      CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS)).join();
    }
    fail("boot " + boot + " did not come within " + START_LIMIT + ":\n" + tail(40));
    return previous;
  }

  /** The last lines the device printed, for failure messages. */
  String tail(int n) {
    List<String> lines = jvm.lines();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
  }

  ChildJvm jvm() {
    return jvm;
  }

  /** {@code ssh -p PORT -i KEY root@ADDRESS 'COMMAND'}. */
  Result ssh(String command) {
    return ssh(command, null);
  }

  /** The same, with {@code stdin} as the command's standard input. */
  Result ssh(String command, String stdin) {
    List<String> argv = new ArrayList<>(List.of("ssh", "-F", "/dev/null", "-p", Integer.toString(sshPort), "-i", KEY.toString(),
        "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
        "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=30", "root@" + address, command));
    try {
      ProcessBuilder pb = new ProcessBuilder(argv);
      if (stdin == null) {
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      }
      Process p = pb.start();
      if (stdin != null) {
        try (OutputStream in = p.getOutputStream()) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
      if (!p.waitFor(CLIENT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        fail(command + " did not end within " + CLIENT_TIMEOUT_SECONDS + " s");
      }
      return new Result(p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The command's standard output, stripped; it must exit 0. */
  String out(String command) {
    Result r = ssh(command);
    assertEquals(0, r.exit(), command + ": " + r);
    return r.out().strip();
  }

  /**
   * Runs {@code command} again, once every {@code every}, until its result passes (the suite's
   * tries × interval); the last result. Fails after {@code tries}.
   */
  Result until(String command, Predicate<Result> done, int tries, Duration every) throws InterruptedException {
    Result last = null;
    for (int i = 0; i < tries; i++) {
      last = ssh(command);
      if (done.test(last)) {
        return last;
      }
      // the suite's interval between tries: the device is not polled faster than it would be
      CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(every.toMillis(), TimeUnit.MILLISECONDS)).join();
    }
    fail(command + ": not as expected after " + tries + " tries: " + last + "\ndevice log (last 40 lines):\n" + tail(40));
    return last;
  }

  /** {@code GET path} on the device's API: the body. */
  String api(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address + ":" + apiPort + path)).timeout(Duration.ofSeconds(10))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Stops the device as SIGTERM does and waits for the run to end. */
  @Override
  public void close() throws Exception {
    jvm.process().destroy();
    try {
      int code = jvm.waitFor(Duration.ofSeconds(60));
      if (code != 0 && code != 143) {
        fail("hostmesh run ended with " + code + ":\n" + String.join("\n", jvm.lines()));
      }
    } finally {
      jvm.close();
    }
  }
}
