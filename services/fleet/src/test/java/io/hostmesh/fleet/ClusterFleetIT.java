package io.hostmesh.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.cli.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hostmesh fleet run --cluster} with three {@code hostmesh fleet worker} JVMs on 127.0.0.1
 * (multicast off): one worker is killed with SIGKILL while every worker holds a partition, its
 * partition is re-run on the others, and report.json is byte for byte the single-JVM run's.
 */
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class ClusterFleetIT {
  private static final String SECRET = "fleet IT secret, not for use elsewhere";
  private final List<WorkerJvm> workers = new ArrayList<>();

  @AfterEach
  void stopWorkers() throws Exception {
    for (WorkerJvm w : workers) {
      w.stop();
    }
  }

  /** Polls (bounded) until {@code ok} holds; the message says what was seen. */
  private static void await(String what, long seconds, java.util.function.BooleanSupplier ok, Object seen)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!ok.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, what + " not within " + seconds + " s: " + seen);
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  @Test
  void aClusterRunWithAWorkerKilledMidRunGivesTheSingleJvmReportByteForByte(@TempDir Path tmp) throws Exception {
    String[] fleet = {"fleet", "run", FleetCommandTest.HERD.toString(), "--devices", "96", "--seed", "7",
        "--partitions", "6"};
    FleetCommandTest.Ran local = FleetCommandTest.hostmesh(concat(fleet, "--report", tmp.resolve("local").toString()));
    assertEquals(ExitCodes.OK, local.code(), local.err());

    Path secret = Files.writeString(tmp.resolve("secret"), SECRET + "\n");
    int port = WorkerJvm.freePort();
    for (int i = 0; i < 3; i++) {
      workers.add(WorkerJvm.start("it", port, secret, 1, "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    }
    for (WorkerJvm w : workers) {
      w.awaitUp(120);
    }

    StringWriter err = new StringWriter();
    CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> io.hostmesh.cli.Main.execute(
        new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), concat(fleet, "--report",
            tmp.resolve("cluster").toString(), "--cluster", "--cluster-name", "it", "--cluster-port",
            String.valueOf(port), "--join", "127.0.0.1:" + port, "--secret-file", secret.toString())));
    Predicate<String> allBusy = text -> text.contains("3 running");
    await("every worker holding a partition", 180, () -> allBusy.test(err.toString()) || run.isDone(), err);
    assertTrue(!run.isDone(), "the run ended before every worker held a partition: " + err);
    new ProcessBuilder("kill", "-KILL", String.valueOf(workers.get(0).process().pid())).start().waitFor();

    int code = run.get(300, TimeUnit.SECONDS);
    assertEquals(ExitCodes.OK, code, err.toString());
    assertTrue(err.toString().contains("left"), "the coordinator saw the killed worker leave: " + err);
    assertTrue(java.util.regex.Pattern.compile("workers [23], partitions \\d/6 done.*, running partitions at virtual \\d\\d:\\d\\d:\\d\\d to \\d\\d:\\d\\d:\\d\\d of 02:00:00")
        .matcher(err.toString()).find(), "progress shows workers, partitions done and the virtual time reached (its values: ClusterRunTest): " + err);
    assertTrue(err.toString().matches("(?s).*partitions on 3 worker\\(s\\) in \\d+ ms wall, [1-9]\\d* re-run.*"),
        "its partition was re-run: " + err);
    assertArrayEquals(Files.readAllBytes(tmp.resolve("local/report.json")),
        Files.readAllBytes(tmp.resolve("cluster/report.json")), "report.json byte for byte");
  }

  @Test
  void withoutASecretOrWithASecretTooShortNothingJoins(@TempDir Path tmp) throws Exception {
    FleetCommandTest.Ran none = FleetCommandTest.hostmesh("fleet", "worker", "--cluster-name", "it");
    assertEquals(ExitCodes.USAGE, none.code());
    assertTrue(none.err().contains("a cluster secret is required"), none.err());
    Path shortSecret = Files.writeString(tmp.resolve("s"), "short");
    FleetCommandTest.Ran brief = FleetCommandTest.hostmesh("fleet", "run", FleetCommandTest.HERD.toString(),
        "--cluster", "--secret-file", shortSecret.toString(), "--report", tmp.resolve("r").toString());
    assertEquals(ExitCodes.USAGE, brief.code());
    assertTrue(brief.err().contains("needs at least 16"), brief.err());
    FleetCommandTest.Ran missing = FleetCommandTest.hostmesh("fleet", "worker", "--secret-file",
        tmp.resolve("nope").toString());
    assertEquals(ExitCodes.NO_INPUT, missing.code());
    assertTrue(missing.err().contains("no secret file at"), missing.err());
    FleetCommandTest.Ran traced = FleetCommandTest.hostmesh("fleet", "run", FleetCommandTest.HERD.toString(),
        "--cluster", "--trace", "1");
    assertEquals(ExitCodes.USAGE, traced.code());
    assertTrue(traced.err().contains("leave out --cluster"), traced.err());
    assertTrue(Files.notExists(tmp.resolve("r")), "a refused run writes nothing");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
