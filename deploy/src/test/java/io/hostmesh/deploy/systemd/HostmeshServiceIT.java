package io.hostmesh.deploy.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * deploy/systemd/hostmesh.service under a real systemd ({@link BootedSystemd}: a Debian container
 * booted once for the class), installed with the commands of README.md's device section and run
 * in the device profile on the container's own files: start only after READY=1, the STATUS= line
 * in {@code systemctl status}, a clean {@code systemctl stop}, journald priorities from the
 * {@code <N>} prefixes, the device work a container allows (hostname, udev rules, chronyd with
 * {@code -x}, sshd on 22222, a clock write refused for lack of CAP_SYS_TIME while the mesh goes
 * on), the AppCDS archive made once by ExecStartPre and used by the next start, and the watchdog:
 * a mesh whose unit gave up is killed and restarted, a healthy one never.
 *
 * <p>Start-up times and memory are measured and written to {@code target/systemd-measurements.txt}
 * (reported, not asserted). Skipped, with the reason, where the machine cannot boot a container
 * or {@code target/hostmesh.jar} is missing ({@code mvn package}; CI builds it first).
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostmeshServiceIT {
  static final Path MEASUREMENTS = Path.of("target/systemd-measurements.txt").toAbsolutePath();
  static final String SRC = HostmeshDevice.SRC;
  static final String API = HostmeshDevice.API;
  static final String HOSTNAME = "meshbox";
  static final String UDEV_RULE = "ACTION==\"add\", SUBSYSTEM==\"net\", KERNEL==\"lo\", TAG+=\"hostmesh\"";
  static final Duration LIMIT = Duration.ofSeconds(60);
  /** {@code [unit][LEVEL] message}: the mesh's log lines (MeshRunner.printLog, JournalLogging). */
  static final Pattern LOG_LINE = Pattern.compile("^\\[[^\\]]+\\]\\[(INFO|WARN|ERROR)\\] .*", Pattern.DOTALL);

  static BootedSystemd ct;
  static String hostHostname;
  static long wallMinusMonoMicros;
  static final List<String> measured = new ArrayList<>();

  @BeforeAll
  static void boot() throws Exception {
    BootedSystemd.assumeBootable();
    HostmeshDevice.requireJar();
    hostHostname = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    wallMinusMonoMicros = wallMinusMono();
    Path work = Path.of("target/systemd-it/service-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
    Files.createDirectories(work);
    Path plugin = PluginJar.write(work.resolve("gives-up.jar"), GivesUpUnit.class);
    ct = BootedSystemd.boot(work, List.of(HostmeshDevice.stage(work.resolve("src"), List.of(plugin))));
    // the device: config.json, a build time a day ahead of the clock (timeinit-buildtime will try
    // to set it), mesh settings without the 60 s udev settle
    String key = ct.sh("mkdir -p /root/.ssh && ssh-keygen -q -t ed25519 -N '' -f /root/.ssh/id_ed25519 && cat /root/.ssh/id_ed25519.pub").strip();
    JsonObject config = new JsonObject()
        .put("uuid", "0123456789abcdef0123456789abcdef").put("hostname", HOSTNAME)
        .put("developmentMode", false).put("persistentLogging", false).put("dnsServers", "127.0.0.53")
        .put("os", new JsonObject()
            .put("sshKeys", new JsonArray().add(key))
            .put("udevRules", new JsonObject().put("64-hostmesh-test", UDEV_RULE))
            .put("network", new JsonObject().put("connectivity", new JsonObject().put("uri", "null").put("interval", "3600"))));
    String tomorrow = ct.sh("date -u -d '+1 day' +%Y%m%d%H%M%S").strip();
    HostmeshDevice.prepare(ct, config, tomorrow, settings(new JsonObject()));
  }

  @AfterAll
  static void powerOff() throws IOException {
    if (ct != null) {
      ct.close();
    }
    if (!measured.isEmpty()) {
      Files.writeString(MEASUREMENTS, String.join("\n", measured) + "\n");
      System.out.println(String.join("\n", measured));
    }
  }

  @Test
  @Order(1)
  void readmeInstallThenStartReturnsOnlyAfterReady() throws Exception {
    String start = HostmeshDevice.install(ct);
    long before = monoMicros();
    ct.sh(start);
    long returned = monoMicros();
    // Type=notify: the unit is `activating` until READY=1, so `active` at return means READY came first
    assertEquals("active", ct.property("hostmesh", "ActiveState"));
    assertEquals("running", ct.property("hostmesh", "SubState"));
    long ready = Long.parseLong(ct.property("hostmesh", "ActiveEnterTimestampMonotonic"));
    assertTrue(ready >= before && ready <= returned, "READY at " + ready + " not within the start call " + before + ".." + returned);
    // READY=1 follows time-set.target (SdNotifyHook): the mesh latched it before systemd saw READY
    JsonObject timeSet = latched("target.time-set");
    long timeSetMono = toMono(Instant.parse(timeSet.getString("wallTime")));
    assertTrue(timeSetMono <= ready + 2_000, "time-set at " + timeSetMono + ", READY at " + ready);

    String status = ct.sh("systemctl status hostmesh --no-pager --lines=0");
    String statusText = ct.property("hostmesh", "StatusText");
    assertTrue(statusText.matches("\\d+ units: .*"), statusText);
    assertTrue(status.matches("(?s).*\\n\\s*Status: \"\\d+ units: [^\"\\n]+\"\\n.*"), status);
    assertTrue(status.contains("Docs: file:/usr/lib/hostmesh/README.md"), status);
    assertTrue(ct.run("test -s /usr/lib/hostmesh/README.md").ok(), "the unit's Documentation= file is installed");
    String invocation = ct.property("hostmesh", "InvocationID");
    String journal = ct.sh("journalctl _SYSTEMD_INVOCATION_ID=" + invocation + " --no-pager -o cat");
    assertTrue(journal.contains("make-cds-archive: /var/lib/hostmesh/hostmesh.jsa"), "first start makes the archive:\n" + journal);
    measure("first start (ExecStartPre makes the archive)", invocation);
  }

  @Test
  @Order(2)
  void deviceProfileDoesItsWorkInTheContainer() throws Exception {
    awaitSettled();
    // hostname: the real hostname(1), in the container's UTS namespace only
    assertEquals(HOSTNAME, ct.sh("hostname").strip());
    assertEquals(HOSTNAME, ct.sh("cat /etc/hostname").strip());
    assertEquals(hostHostname, Files.readString(Path.of("/proc/sys/kernel/hostname")).strip(), "the host's hostname moved");
    // udev rules under /etc/udev/rules.d (no udevd in a container: the reload is a board's)
    assertEquals(UDEV_RULE, ct.sh("cat /etc/udev/rules.d/64-hostmesh-test.rules").strip());
    assertTrue(ct.run("test -f /etc/udev/rules.d/README").ok());
    // chronyd started by the bridge with -x: the mesh lacks CAP_SYS_TIME
    String mainPid = ct.property("hostmesh", "MainPID");
    String caps = ct.sh("grep -E '^Cap(Eff|Bnd)' /proc/" + mainPid + "/status");
    for (String line : caps.strip().split("\n")) {
      long bits = Long.parseUnsignedLong(line.split(":")[1].strip(), 16);
      assertEquals(0, bits >>> BootedSystemd.CAP_SYS_TIME & 1, "hostmesh holds CAP_SYS_TIME: " + caps);
    }
    String chronyd = ct.await("pgrep -a chronyd || true", s -> s.contains("chronyd"), LIMIT, "chronyd started by the bridge");
    assertTrue(chronyd.matches("(?s).*chronyd -d -x .*"), chronyd);
    assertEquals("ACTIVE", unit("chronyd").getString("state").toUpperCase(), unit("chronyd").encode());
    String journal = journal("");
    assertTrue(journal.contains("[chronyd][WARN] chronyd started with -x (it will not set the system clock): this process lacks CAP_SYS_TIME"),
        journal);
    // sshd reached on 22222 through the socket activator, with the key from config.json
    String ssh = ct.sh("ssh -p 22222 -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"
        + " -o ConnectTimeout=10 root@127.0.0.1 echo hostmesh-ssh-ok 2>/dev/null");
    assertTrue(ssh.contains("hostmesh-ssh-ok"), ssh);
    // the clock write fails for lack of CAP_SYS_TIME: reported, and the mesh goes on
    JsonObject buildTime = unit("timeinit-buildtime");
    assertEquals("EXITED", buildTime.getString("state").toUpperCase(), buildTime.encode());
    assertEquals("clock not set: no CAP_SYS_TIME", buildTime.getString("detail"));
    assertTrue(journal.matches("(?s).*\\[timeinit-buildtime\\]\\[ERROR\\] System time not set from build time \\d{14}: "
        + "cannot set the system clock: this process lacks CAP_SYS_TIME \\(CapEff [0-9a-f]+, CapBnd [0-9a-f]+\\) "
        + "\\(date: date: cannot set date: Operation not permitted\\).*"), journal);
    assertEquals("EXITED", unit("fake-hwclock").getString("state").toUpperCase());
    assertEquals("active", ct.property("hostmesh", "ActiveState"));
    long drift = Math.abs(wallMinusMono() - wallMinusMonoMicros);
    assertTrue(drift < 2_000_000, "the host's clock moved by " + drift + " us against the monotonic clock");
    long inside = Long.parseLong(ct.sh("date +%s").strip());
    assertTrue(Math.abs(inside - System.currentTimeMillis() / 1000) < 5, "container clock " + inside);
    JsonObject health = new JsonObject(ct.sh("curl -s " + API + "/health"));
    assertTrue(health.getBoolean("settled"), health.encode());
    measureMemory();
  }

  @Test
  @Order(3)
  void journalPrioritiesFollowTheLinePrefixes() throws Exception {
    String pid = ct.property("hostmesh", "MainPID");
    List<JsonObject> all = entries("journalctl _PID=" + pid + " -o json --no-pager");
    Set<String> warnings = new LinkedHashSet<>();
    int info = 0;
    // the mesh goes on logging: compare both queries over the same window
    long until = all.stream().mapToLong(e -> Long.parseLong(e.getString("__REALTIME_TIMESTAMP"))).max().orElse(0);
    for (JsonObject e : all) {
      String msg = message(e);
      int priority = Integer.parseInt(e.getString("PRIORITY"));
      assertFalse(msg.matches("^<\\d>.*"), "prefix not read as a priority: " + msg);
      // java.util.logging's console format ("WARNING: ..." under a date line) means JournalLogging is not in force
      assertFalse(msg.matches("^(SEVERE|WARNING): .*"), "a library warning without its priority: " + msg);
      Matcher m = LOG_LINE.matcher(msg);
      if (m.matches()) {
        int expected = switch (m.group(1)) {
          case "ERROR" -> 3;
          case "WARN" -> 4;
          default -> 6;
        };
        assertEquals(expected, priority, msg);
        if (expected < 6) {
          warnings.add(msg);
        } else {
          info++;
        }
      } else {
        assertTrue(priority >= 6, "a warning or error that is not a [unit][LEVEL] line: " + msg);
      }
    }
    assertTrue(info > 10 && warnings.stream().anyMatch(w -> w.contains("][ERROR]"))
        && warnings.stream().anyMatch(w -> w.contains("][WARN]")), "lines of each level: " + warnings);
    Set<String> shown = new LinkedHashSet<>();
    entries("journalctl -u hostmesh -p warning -o json --no-pager").forEach(e -> {
      if (Long.parseLong(e.getString("__REALTIME_TIMESTAMP")) > until) {
        return;
      }
      if (pid.equals(e.getString("_PID"))) {
        shown.add(message(e));
      } else {
        // ExecStartPre's demo boot stays out of the journal; systemd's own lines may be there
        assertTrue("1".equals(e.getString("_PID")), "not hostmesh's nor systemd's: " + e.encode());
      }
    });
    assertEquals(warnings, shown, "journalctl -u hostmesh -p warning");
    measured.add("  journalctl -u hostmesh -p warning (one start):\n    " + String.join("\n    ", shown));
  }

  @Test
  @Order(4)
  void stopLeavesTheUnitInactiveNotFailed() throws Exception {
    String invocation = ct.property("hostmesh", "InvocationID");
    ct.sh("systemctl stop hostmesh");
    assertEquals("inactive", ct.property("hostmesh", "ActiveState"));
    assertEquals("success", ct.property("hostmesh", "Result"));
    assertEquals("inactive", ct.run("systemctl is-failed hostmesh").out().strip());
    assertEquals("143", ct.property("hostmesh", "ExecMainStatus"), "the JVM's exit on SIGTERM");
    // the units stopped in order: fake-hwclock's save ran
    String journal = ct.sh("journalctl _SYSTEMD_INVOCATION_ID=" + invocation + " --no-pager -o cat");
    assertTrue(fakeHwclockSaveRan(journal), journal);
  }

  @Test
  @Order(5)
  void secondStartUsesTheArchiveAndMakesNoOther() throws Exception {
    String jsa = "/var/lib/hostmesh/hostmesh.jsa";
    String made = ct.sh("stat -c %Y.%s " + jsa).strip();
    ct.sh("systemctl start hostmesh");
    String invocation = ct.property("hostmesh", "InvocationID");
    assertEquals(made, ct.sh("stat -c %Y.%s " + jsa).strip(), "archive made again");
    String journal = ct.sh("journalctl _SYSTEMD_INVOCATION_ID=" + invocation + " --no-pager -o cat");
    assertFalse(journal.contains("make-cds-archive:"), journal);
    String pid = ct.property("hostmesh", "MainPID");
    assertTrue(ct.sh("cat /proc/" + pid + "/maps").contains(jsa), "the JVM did not map " + jsa);
    awaitSettled();
    measure("start with the archive", invocation);
    measureMemory();
    ct.sh("systemctl stop hostmesh");

    // the same start without an archive (ExecStartPre cleared by a drop-in), for the numbers
    ct.sh("mkdir -p /etc/systemd/system/hostmesh.service.d && printf '[Service]\\nExecStartPre=\\n'"
        + " > /etc/systemd/system/hostmesh.service.d/no-cds.conf && mv " + jsa + " " + jsa + ".kept && systemctl daemon-reload");
    try {
      ct.sh("systemctl start hostmesh");
      String without = ct.property("hostmesh", "InvocationID");
      assertFalse(ct.sh("cat /proc/" + ct.property("hostmesh", "MainPID") + "/maps").contains(jsa));
      awaitSettled();
      measure("start without an archive", without);
      measureMemory();
      ct.sh("systemctl stop hostmesh");
    } finally {
      ct.sh("rm -f /etc/systemd/system/hostmesh.service.d/no-cds.conf && mv " + jsa + ".kept " + jsa
          + " && touch -d @" + made.split("\\.")[0] + " " + jsa + " && systemctl daemon-reload");
    }
  }

  @Test
  @Order(6)
  void watchdogRestartsAMeshThatGaveUpAndNeverAHealthyOne() throws Exception {
    // a short watchdog and grace for the test: a drop-in and the mesh settings, no sleeps
    ct.sh("mkdir -p /etc/systemd/system/hostmesh.service.d && printf '[Service]\\nWatchdogSec=3s\\n'"
        + " > /etc/systemd/system/hostmesh.service.d/watchdog-test.conf && systemctl daemon-reload");
    HostmeshDevice.write(ct, "/etc/hostmesh/hostmesh.json",
        settings(new JsonObject().put("watchdog", new JsonObject().put("grace-ms", 1000))).encodePrettily());
    ct.sh("mkdir -p /var/lib/hostmesh/plugins && cp " + SRC + "/test/gives-up.jar /var/lib/hostmesh/plugins/");
    int before = Integer.parseInt(ct.property("hostmesh", "NRestarts"));
    ct.sh("systemctl start hostmesh");
    String firstPid = ct.property("hostmesh", "MainPID");
    String invocation = ct.property("hostmesh", "InvocationID");
    ct.await("systemctl show hostmesh -p NRestarts --value", s -> Integer.parseInt(s.strip()) > before, LIMIT,
        "systemd restarts the mesh whose plugin unit gave up");
    String killed = ct.sh("journalctl _SYSTEMD_INVOCATION_ID=" + invocation + " --no-pager -o cat");
    assertTrue(killed.contains("hostmesh: unhealthy, watchdog pings withheld: " + GivesUpUnit.NAME + " failed"), killed);
    String unit = ct.sh("journalctl -u hostmesh --no-pager -o cat");
    assertTrue(unit.contains("hostmesh.service: Watchdog timeout (limit 3s)!"), unit);
    // WatchdogSignal=SIGTERM: the mesh stopped its units, fake-hwclock's save ran
    assertTrue(fakeHwclockSaveRan(killed), killed);
    assertFalse(firstPid.equals(ct.property("hostmesh", "MainPID")));

    // healthy again: no plugin; the pings go on over several watchdog periods and nothing restarts
    ct.sh("rm /var/lib/hostmesh/plugins/gives-up.jar && systemctl restart hostmesh");
    String pid = ct.property("hostmesh", "MainPID");
    int restarts = Integer.parseInt(ct.property("hostmesh", "NRestarts"));
    long firstPing = -1;
    long lastPing = -1;
    int pings = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    while (System.nanoTime() < deadline && (pings < 6 || lastPing - firstPing < 9_000_000)) {
      long ping = Long.parseLong(ct.property("hostmesh", "WatchdogTimestampMonotonic"));
      if (ping != lastPing) {
        pings++;
        firstPing = firstPing < 0 ? ping : firstPing;
        lastPing = ping;
      }
      assertEquals(pid, ct.property("hostmesh", "MainPID"), "a healthy mesh was restarted");
      BootedSystemd.Poll.pause(250);
    }
    assertTrue(pings >= 6 && lastPing - firstPing >= 9_000_000, pings + " pings over " + (lastPing - firstPing) + " us");
    assertEquals(restarts, Integer.parseInt(ct.property("hostmesh", "NRestarts")));
    assertEquals("active", ct.property("hostmesh", "ActiveState"));
    ct.sh("systemctl stop hostmesh && rm /etc/systemd/system/hostmesh.service.d/watchdog-test.conf && systemctl daemon-reload");
  }

  /** fake-hwclock's stop: it writes the time, or refuses because the clock is behind the build time. */
  static boolean fakeHwclockSaveRan(String journal) {
    return journal.contains("[fake-hwclock][INFO] Saving system time to /etc/fake-hwclock/fake-hwclock.data.")
        || journal.contains("[fake-hwclock][INFO] Time travel detected!");
  }

  // --- the mesh settings ---

  /** The mesh settings of the test: no 60 s udev settle (udevd does not run in a container), plus {@code extra}. */
  static JsonObject settings(JsonObject extra) {
    JsonObject s = new JsonObject().put("units", new JsonObject().put("os-udevrules", new JsonObject().put("settleSeconds", 0)));
    return s.mergeIn(extra, true);
  }

  // --- the mesh's API, inside ---

  static JsonObject unit(String name) throws IOException, InterruptedException {
    return new JsonObject(ct.sh("curl -sf " + API + "/v1/units/" + name));
  }

  static JsonObject latched(String topic) throws IOException, InterruptedException {
    JsonObject state = new JsonObject(ct.sh("curl -sf " + API + "/v1/state"));
    Object v = state.getValue(topic);
    assertTrue(v instanceof JsonObject, "no latched " + topic + " in " + state.encode());
    return (JsonObject) v;
  }

  static void awaitSettled() throws IOException, InterruptedException {
    ct.await("curl -s " + API + "/health || true", s -> s.contains("\"settled\":true") || s.contains("\"settled\" : true"), LIMIT,
        "every unit settled");
  }

  static String journal(String filter) throws IOException, InterruptedException {
    return ct.sh("journalctl -u hostmesh --no-pager -o cat " + filter);
  }

  static List<JsonObject> entries(String command) throws IOException, InterruptedException {
    List<JsonObject> out = new ArrayList<>();
    for (String line : ct.sh(command).split("\n")) {
      if (line.startsWith("{")) {
        out.add(new JsonObject(line));
      }
    }
    return out;
  }

  static String message(JsonObject entry) {
    Object m = entry.getValue("MESSAGE");
    if (m instanceof JsonArray bytes) {
      byte[] b = new byte[bytes.size()];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) bytes.getInteger(i).intValue();
      }
      return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
    return String.valueOf(m);
  }

  // --- numbers ---

  static long monoMicros() {
    return System.nanoTime() / 1000; // CLOCK_MONOTONIC, shared with the container (no time namespace)
  }

  static long wallMinusMono() {
    return System.currentTimeMillis() * 1000 - monoMicros();
  }

  static long toMono(Instant wall) {
    return wall.getEpochSecond() * 1_000_000 + wall.getNano() / 1000 - wallMinusMono();
  }

  /** systemd's timestamps of the start and the mesh's first moment with every unit settled. */
  static void measure(String what, String invocation) throws IOException, InterruptedException {
    awaitSettled();
    long begin = Long.parseLong(ct.property("hostmesh", "InactiveExitTimestampMonotonic"));
    long exec = Long.parseLong(ct.property("hostmesh", "ExecMainStartTimestampMonotonic"));
    long ready = Long.parseLong(ct.property("hostmesh", "ActiveEnterTimestampMonotonic"));
    JsonArray timeline = new JsonArray(ct.sh("curl -sf " + API + "/v1/timeline"));
    Set<String> names = new LinkedHashSet<>();
    new JsonArray(ct.sh("curl -sf " + API + "/v1/units")).forEach(u -> names.add(((JsonObject) u).getString("name")));
    Map<String, String> state = new HashMap<>();
    long settled = -1;
    for (Object o : timeline) {
      JsonObject c = (JsonObject) o;
      if (!c.containsKey("unit")) {
        continue; // a clock set, not a unit's state change
      }
      state.put(c.getString("unit"), c.getString("state").toUpperCase());
      boolean all = names.stream().allMatch(n -> Set.of("ACTIVE", "EXITED", "FAILED", "SKIPPED").contains(state.get(n)));
      if (all) {
        settled = toMono(Instant.parse(c.getString("wallTime")));
        break;
      }
    }
    measured.add(String.format("%-46s start->READY %5d ms, ->all %d units settled %5d ms (ExecStartPre %5d ms; JVM exec->READY %5d ms,"
        + " ->settled %5d ms)", what, (ready - begin) / 1000, names.size(), (settled - begin) / 1000, (exec - begin) / 1000,
        (ready - exec) / 1000, (settled - exec) / 1000));
  }

  /** Right after every unit settled: MemoryCurrent as systemd accounts it, or, where this host gives the container no memory controller, the cgroup's RSS and PSS. */
  static void measureMemory() throws IOException, InterruptedException {
    String current = ct.property("hostmesh", "MemoryCurrent");
    String cg = ct.property("hostmesh", "ControlGroup");
    String procs = ct.sh("for d in /sys/fs/cgroup/unified /sys/fs/cgroup/systemd /sys/fs/cgroup; do"
        + " [ -f $d" + cg + "/cgroup.procs ] && { cat $d" + cg + "/cgroup.procs; break; }; done");
    long rss = 0;
    long pss = 0;
    int n = 0;
    for (String p : procs.strip().split("\\s+")) {
      if (p.isEmpty()) {
        continue;
      }
      Smaps r = new Smaps(ct.run("grep -E '^(Rss|Pss):' /proc/" + p + "/smaps_rollup"));
      rss += r.kb("Rss");
      pss += r.kb("Pss");
      n++;
    }
    measured.add(String.format("  idle memory: MemoryCurrent=%s; %d processes in %s: RSS %d MB, PSS %d MB",
        current, n, cg, rss / 1024, pss / 1024));
  }

  private record Smaps(BootedSystemd.Result r) {
    long kb(String field) {
      for (String line : r.out().split("\n")) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      return 0;
    }
  }
}
