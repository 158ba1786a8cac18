package io.hostmesh.api.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.api.HttpApi;
import io.hostmesh.schema.host.CommandRecorded;
import io.hostmesh.schema.host.HostTopics;
import io.hostmesh.schema.https.HttpsTopics;
import io.hostmesh.schema.https.SimFirewall;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.testing.ScriptedUnit;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.unit.UnitDescriptor;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The commands of an SSH session into a sim device, over a real HttpApi on 127.0.0.1, as the shims
 * post them ({@code arg=...} form fields): what each prints and exits with.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class ShellRoutesTest {
  /** One answer: exit status, standard output, standard error (decoded as the shim's printf %b would). */
  record Out(int exit, String out, String err) {}

  private Vertx vertx;
  private SimDevice dev;
  private HttpApi api;
  private String apiId;
  private WebClient web;

  @BeforeEach
  void device(Vertx vertx) {
    this.vertx = vertx;
    dev = SimDevice.builder(vertx)
        .settings(j -> j.put("units", new JsonObject().put("off", new JsonObject().put("enabled", false))))
        .unit(() -> new ScriptedUnit(UnitDescriptor.named("chronyd").description("NTP client/server").service().build(), u -> {
          u.log().info("chronyd version 4.3 starting");
          u.log().info("No online NTP sources - forcing poll");
          u.status("synchronised");
          return Future.succeededFuture();
        }))
        .unit(() -> ScriptedUnit.ok(UnitDescriptor.named("hostname").description("Host name from config.json").service().build()))
        .unit(() -> ScriptedUnit.ok(UnitDescriptor.named("timesync-https").description("Sync time over HTTPS").oneshot().build()))
        .unit(() -> ScriptedUnit.failing(UnitDescriptor.named("broken").description("Fails").oneshot().build(), "it broke"))
        .unit(() -> ScriptedUnit.ok(UnitDescriptor.named("off").description("Turned off").service().build()))
        .file("/etc/hostname", "shell-dev\n")
        .file("/etc/NetworkManager/NetworkManager.conf", "[main]\nplugins=keyfile\n\n[connectivity]\nuri=http://old\n")
        .file("/etc/NetworkManager/conf.d/os-networkmanager.conf", "# generated\n[connectivity]\nuri=http://new/check\ninterval=60\n\n[device]\nwifi.scan-rand-mac-address=yes\n")
        .build();
    dev.start().await();
    dev.awaitUnit("chronyd", UnitState.ACTIVE).await();
    dev.awaitUnit("broken", UnitState.FAILED).await();
    api = new HttpApi(dev.mesh(), "127.0.0.1", 0);
    apiId = vertx.deployVerticle(api).await();
    web = WebClient.create(vertx);
  }

  @AfterEach
  void close() {
    dev.close();
  }

  @Test
  void theApisAddressIsWrittenForTheShimsAndRemovedWithTheApi() throws Exception {
    assertEquals("http://127.0.0.1:" + api.port() + "\n", Files.readString(dev.path(ShellRoutes.URL_FILE)));
    vertx.undeploy(apiId).await();
    assertFalse(Files.exists(dev.path(ShellRoutes.URL_FILE)), "the shims then say the API is not running");
  }

  @Test
  void systemctlIsActiveStatusAndShowUseBalenaNames() {
    assertEquals(new Out(0, "active\n", ""), sh("systemctl", "is-active", "chronyd"));
    assertEquals(new Out(0, "active\n", ""), sh("systemctl", "is-active", "chronyd.service"));
    assertEquals(new Out(0, "active\n", ""), sh("systemctl", "is-active", "balena-hostname"));
    assertEquals(new Out(3, "failed\n", ""), sh("systemctl", "is-active", "broken.service"));
    assertEquals(new Out(3, "inactive\n", ""), sh("systemctl", "is-active", "nosuch"));
    assertEquals(new Out(3, "", ""), sh("systemctl", "is-active", "--quiet", "nosuch"));
    assertEquals(new Out(0, "failed\n", ""), sh("systemctl", "is-failed", "broken"));
    assertEquals(new Out(0, "enabled\n", ""), sh("systemctl", "is-enabled", "chronyd"));
    assertEquals(new Out(1, "masked\n", ""), sh("systemctl", "is-enabled", "off"));

    Out status = sh("systemctl", "status", "chronyd");
    assertEquals(0, status.exit(), status.toString());
    List<String> lines = status.out().lines().toList();
    assertEquals("● chronyd.service - NTP client/server", lines.get(0));
    assertEquals("     Loaded: loaded (/lib/systemd/system/chronyd.service; enabled; vendor preset: enabled)", lines.get(1));
    assertTrue(lines.get(2).matches("     Active: active \\(running\\) since \\w{3} \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC; \\d+(ms|s) ago"),
        lines.get(2));
    assertEquals("     Status: \"synchronised\"", lines.get(3));
    assertTrue(status.out().contains(" shell-dev chronyd[" + ShellDevice.PID + "]: No online NTP sources - forcing poll\n"),
        status.out());

    Out failed = sh("systemctl", "status", "broken");
    assertEquals(3, failed.exit());
    assertTrue(failed.out().startsWith("× broken.service - Fails\n"), failed.out());
    assertTrue(failed.out().contains("     Active: failed (Result: exit-code) since "), failed.out());
    assertEquals(new Out(4, "", "Unit nosuch.service could not be found.\n"), sh("systemctl", "status", "nosuch"));
    assertTrue(sh("systemctl", "status", "off").out().contains("     Loaded: masked (Reason: Unit off.service is masked.)\n"));

    assertEquals(new Out(0, "exit-code\n", ""), sh("systemctl", "show", "-p", "Result", "--value", "broken"));
    assertEquals(new Out(0, "ActiveState=active\nSubState=running\n", ""),
        sh("systemctl", "show", "--property=ActiveState,SubState", "chronyd.service"));
    assertEquals(new Out(0, "not-found\n", ""), sh("systemctl", "show", "-p", "LoadState", "--value", "nosuch"));

    Out list = sh("systemctl", "list-units", "--no-legend", "--plain");
    assertTrue(list.out().contains("chronyd.service"), list.out());
    assertTrue(list.out().contains("balena-hostname.service"), list.out());
    assertFalse(list.out().contains("off.service"), "inactive units only with --all: " + list.out());
    assertTrue(sh("systemctl", "list-units", "--all", "off*").out().contains("off.service"));
    assertEquals(new Out(1, "", "Unknown command verb frobnicate.\n"), sh("systemctl", "frobnicate"));
    assertEquals(new Out(1, "", "systemctl: unrecognized option '--frob'\n"), sh("systemctl", "--frob", "status"));
  }

  @Test
  void systemctlJobsStopStartRestartAndResetFailed() {
    assertEquals(new Out(0, "", ""), sh("systemctl", "stop", "chronyd.service"));
    assertEquals(new Out(3, "inactive\n", ""), sh("systemctl", "is-active", "chronyd"));
    assertEquals(UnitState.INACTIVE, dev.mesh().unit("chronyd").orElseThrow().state(), "stays stopped");
    assertEquals(new Out(0, "", ""), sh("systemctl", "start", "chronyd"));
    assertEquals(new Out(0, "active\n", ""), sh("systemctl", "is-active", "chronyd"));
    assertEquals(new Out(0, "", ""), sh("systemctl", "restart", "chronyd.service"));
    Out failed = sh("systemctl", "restart", "broken");
    assertEquals(1, failed.exit());
    assertEquals("Job for broken.service failed because the control process exited with error code.\n"
        + "See \"systemctl status broken.service\" and \"journalctl -xeu broken.service\" for details.\n", failed.err());
    assertEquals(new Out(5, "", "Failed to restart nosuch.service: Unit nosuch.service not found.\n"), sh("systemctl", "restart", "nosuch"));
    assertEquals(new Out(1, "", "Failed to start off.service: Unit off.service is masked.\n"), sh("systemctl", "start", "off"));
    assertEquals(new Out(0, "", ""), sh("systemctl", "reset-failed", "broken.service"));
    assertEquals(new Out(3, "inactive\n", ""), sh("systemctl", "is-active", "broken"));
    assertEquals(1, sh("systemctl", "reset-failed", "nosuch").exit());
  }

  @Test
  void journalctlFiltersByUnitLinesAndOutputAndVacuumsAfterARotate() {
    Out all = sh("journalctl", "-u", "chronyd.service", "--no-pager");
    assertEquals(0, all.exit());
    assertTrue(all.out().lines().allMatch(l -> l.matches("\\w{3} \\d\\d \\d\\d:\\d\\d:\\d\\d shell-dev chronyd\\[\\d+\\]: .*")), all.out());
    assertTrue(all.out().contains("chronyd[" + ShellDevice.PID + "]: No online NTP sources - forcing poll\n"), all.out());
    assertEquals(new Out(0, "No online NTP sources - forcing poll\n", ""), sh("journalctl", "-u", "chronyd", "-n", "1", "-o", "cat"));
    assertEquals(new Out(0, "-- No entries --\n", ""), sh("journalctl", "-u", "nosuch.service"));
    assertEquals(0, sh("journalctl", "--vacuum-time=1s").exit());
    assertTrue(sh("journalctl", "-u", "chronyd").out().contains("forcing poll"), "the active journal is never vacuumed");
    assertEquals(new Out(0, "", ""), sh("journalctl", "--rotate"));
    // the lines logged before the rotation are gone when older than 1 s at the vacuum (device time)
    dev.mesh().platform().clock().set(dev.mesh().platform().clock().now().plusSeconds(5), "test").await();
    assertEquals(new Out(0, "", "Vacuuming done, freed 0B of archived journals from /var/log/journal.\n"),
        sh("journalctl", "--vacuum-time=1s"));
    assertEquals(new Out(0, "-- No entries --\n", ""), sh("journalctl", "-u", "chronyd"));
    sh("systemctl", "restart", "chronyd");
    assertEquals(new Out(0, "chronyd version 4.3 starting\nNo online NTP sources - forcing poll\n", ""),
        sh("journalctl", "-u", "chronyd.service", "-o", "cat"), "a new line after the vacuum is shown");
    assertEquals(new Out(1, "", "journalctl: unrecognized option '--frob'\n"), sh("journalctl", "--frob"));
  }

  @Test
  void journalctlBootsWithAVolatileJournalAreTheCurrentOneOnly() {
    Out boots = sh("journalctl", "--list-boots");
    assertEquals(0, boots.exit());
    assertEquals(1, boots.out().lines().count(), boots.out());
    assertTrue(boots.out().startsWith("  0 " + dev.mesh().bootId() + " "), boots.out());
    assertEquals(0, sh("journalctl", "-b", "-u", "chronyd").exit());
    assertEquals(new Out(1, "", "Data from the specified boot (-1) is not available: No such boot ID in journal\n"),
        sh("journalctl", "-b", "-1"));
    // this boot is also the oldest (1), and named by its id
    String thisBoot = sh("journalctl", "-b", "-o", "cat").out();
    assertEquals(thisBoot, sh("journalctl", "-b", "1", "-o", "cat").out());
    assertEquals(thisBoot, sh("journalctl", "-b", dev.mesh().bootId(), "-o", "cat").out());
    assertEquals(new Out(1, "", "Data from the specified boot (2) is not available: No such boot ID in journal\n"),
        sh("journalctl", "-b", "2"));
    assertEquals(new Out(1, "", "Failed to parse boot descriptor 'x'\n"), sh("journalctl", "--boot=x"));
  }

  @Test
  void dateReadsAndSetsTheSimClockTimedatectlAndHwclockShowIt() {
    Instant before = dev.mesh().platform().clock().now();
    Out read = sh("date");
    double epoch = Double.parseDouble(read.out().strip());
    assertTrue(Math.abs(epoch - before.getEpochSecond()) < 5, read.toString());
    Out set = sh("date", "--set=-2min");
    assertEquals(0, set.exit(), set.toString());
    Instant after = dev.mesh().platform().clock().now();
    assertTrue(Duration.between(before, after).toSeconds() <= -115, before + " -> " + after);
    assertEquals("sim", dev.mesh().platform().clock().lastSet().orElseThrow().source());
    assertEquals(new Out(0, "1893456000.000000000\n", ""), sh("date", "-s", "2030-01-01 00:00:00"));
    assertEquals(new Out(1, "", "date: invalid date ‘next blue moon’\n"), sh("date", "-s", "next blue moon"));

    Out td = sh("timedatectl");
    assertTrue(td.out().contains("               Local time: Tue 2030-01-01 00:00:"), td.out());
    assertTrue(td.out().contains("System clock synchronized: no\n"), td.out());
    assertTrue(td.out().contains("              NTP service: active\n"), td.out());
    assertTrue(td.out().contains("                 RTC time: n/a\n"), td.out());
    assertEquals(1, sh("timedatectl", "set-ntp", "false").exit());

    Out hw = sh("hwclock", "-r");
    assertEquals(1, hw.exit(), "no RTC file: none");
    assertTrue(hw.err().startsWith("hwclock: Cannot access the Hardware Clock via any known method."), hw.err());
  }

  @Test
  void iptablesBlocksNtpAndHttpsInTheSimsNetworkModelAndRefusesTheRest() {
    assertEquals(new Out(0, "", ""), sh("iptables", "-A", "OUTPUT", "-p", "udp", "--dport", "123", "-j", "DROP"));
    SimFirewall f = dev.bus().latest(HttpsTopics.SIM_FIREWALL).orElseThrow();
    assertEquals(new SimFirewall(List.of("-A OUTPUT -p udp -m udp --dport 123 -j DROP"), true, false), f);
    assertEquals(new Out(0, "", ""), sh("iptables", "-w", "-A", "OUTPUT", "-p", "tcp", "-m", "tcp", "--dport", "443", "-j", "REJECT"));
    assertTrue(dev.bus().latest(HttpsTopics.SIM_FIREWALL).orElseThrow().httpsBlocked());
    assertEquals("-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n-A OUTPUT -p udp -m udp --dport 123 -j DROP\n"
        + "-A OUTPUT -p tcp -m tcp --dport 443 -j REJECT\n", sh("iptables", "-S").out());
    assertTrue(sh("iptables", "-L", "OUTPUT").out().contains("DROP       udp  --  anywhere             anywhere             udp dpt:ntp\n"));
    assertEquals(0, sh("iptables", "-C", "OUTPUT", "-p", "udp", "--dport", "123", "-j", "DROP").exit());
    assertEquals(new Out(0, "", ""), sh("iptables", "-D", "OUTPUT", "-p", "udp", "--dport", "123", "-j", "DROP"));
    assertFalse(dev.bus().latest(HttpsTopics.SIM_FIREWALL).orElseThrow().ntpBlocked());
    assertEquals(new Out(1, "", "iptables: Bad rule (does a matching rule exist in that chain?).\n"),
        sh("iptables", "-D", "OUTPUT", "-p", "udp", "--dport", "123", "-j", "DROP"));
    for (List<String> bad : List.of(List.of("-A", "INPUT", "-j", "DROP"), List.of("-A", "OUTPUT", "-p", "tcp", "--dport", "123", "-j", "DROP"),
        List.of("-t", "nat", "-L"), List.of("-P", "OUTPUT", "DROP"), List.of("-A", "OUTPUT", "-p", "udp", "--dport", "53", "-j", "DROP"))) {
      Out r = sh("iptables", bad.toArray(String[]::new));
      assertEquals(2, r.exit(), bad + ": " + r);
      assertTrue(r.err().startsWith("iptables (hostmesh sim): only OUTPUT rules that drop udp port 123 (NTP) or tcp port 443 (HTTPS)"), r.err());
    }
    assertEquals(new Out(0, "", ""), sh("iptables", "-F"));
    assertEquals(new SimFirewall(List.of(), false, false), dev.bus().latest(HttpsTopics.SIM_FIREWALL).orElseThrow());
  }

  @Test
  void udevadmIsRecordedAndNetworkManagerPrintsTheMergedConfiguration() throws Exception {
    Future<CommandRecorded> recorded = dev.await(HostTopics.COMMAND_RECORDED, c -> c.argv().get(0).equals("udevadm"));
    assertEquals(new Out(0, "", ""), sh("udevadm", "trigger", "--action=add"));
    assertEquals(List.of("udevadm", "trigger", "--action=add"), recorded.await(5, TimeUnit.SECONDS).argv());
    assertEquals(new Out(0, "", ""), sh("udevadm", "control", "--reload"));
    assertEquals(2, sh("udevadm", "info", "/dev/sda").exit());

    assertEquals(new Out(0, "# NetworkManager configuration: /etc/NetworkManager/NetworkManager.conf (etc: os-networkmanager.conf)\n"
        + "\n[main]\nplugins=keyfile\n\n[connectivity]\nuri=http://new/check\ninterval=60\n\n[device]\nwifi.scan-rand-mac-address=yes\n", ""),
        sh("NetworkManager", "--print-config"));
    assertEquals(1, sh("NetworkManager").exit(), "the daemon itself is the network unit");
  }

  @Test
  void anUnknownCommandAndAPowerRequestWithoutTheLifecycleSaySo() {
    Out r = sh("frobnicate");
    assertEquals(127, r.exit());
    assertTrue(r.err().startsWith("frobnicate: not a command of a sim device"), r.err());
    assertEquals(new Out(1, "", "Failed to reboot: not a sim device run by the sim lifecycle (hostmesh run --profile sim or hostmesh demo)\n"),
        sh("reboot"));
  }

  @Test
  void standardErrorSurvivesTheHeaderAndPrintfB() throws Exception {
    String text = "line one\nback\\slash \\c not a stop, tab\t, ‘quotes’ and é\n";
    String escaped = ShellFormat.forPrintfB(text);
    assertTrue(escaped.chars().allMatch(c -> c >= 0x20 && c < 0x7f), escaped);
    Process p = new ProcessBuilder("sh", "-c", "printf '%b' \"$1\"", "sh", escaped).start();
    String back = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    assertEquals(text, back);
  }

  /** Posts a command as the shim does and decodes the answer. */
  private Out sh(String command, String... args) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("argv0", command);
    for (String a : args) {
      form.add("arg", a);
    }
    HttpResponse<Buffer> r = web.postAbs("http://127.0.0.1:" + api.port() + "/v1/shell/" + command).sendForm(form).await();
    return new Out(Integer.parseInt(r.getHeader("Hostmesh-Exit")), r.bodyAsString() == null ? "" : r.bodyAsString(),
        decode(r.getHeader("Hostmesh-Stderr")));
  }

  /** What {@code printf %b} makes of the header. */
  private static String decode(String s) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    for (int i = 0; s != null && i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        b.write(c);
      } else if (s.charAt(i + 1) == 'n') {
        b.write('\n');
        i++;
      } else if (s.charAt(i + 1) == '\\') {
        b.write('\\');
        i++;
      } else {
        b.write(Integer.parseInt(s.substring(i + 2, i + 5), 8));
        i += 4;
      }
    }
    return b.toString(StandardCharsets.UTF_8);
  }
}
