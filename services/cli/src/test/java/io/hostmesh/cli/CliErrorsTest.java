package io.hostmesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.api.HttpApi;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.unit.support.BuildTime;
import io.hostmesh.unit.support.TimeFormats;
import io.hostmesh.units.time.BuildTimeInit;
import io.hostmesh.units.time.FakeHwclock;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each bad input of issue 11 §3 runs the CLI in this JVM: one line on standard error naming the
 * problem and the fix, the documented exit code, no stack trace, and nothing created.
 */
@Timeout(60)
class CliErrorsTest {
  @TempDir
  Path tmp;

  record Result(int code, String out, String err) {
    /** The single error line; fails when there is none, several, or a stack trace. */
    String line() {
      assertFalse(err.contains("\tat ") || err.contains("Exception"), "no stack trace:\n" + err);
      assertEquals(1, err.lines().count(), "one line:\n" + err);
      return err.strip();
    }
  }

  static Result cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void anUnknownProfileNamesTheChoices() {
    Result r = cli("run", "--profile", "simm", "--root", tmp.toString());
    assertEquals(64, r.code());
    assertEquals("hostmesh run: Invalid value for option '--profile': unknown profile 'simm': use device or sim"
        + " (see hostmesh run --help)", r.line());
  }

  @Test
  void unknownOptionsAndCommandsAreUsageErrors() {
    Result r = cli("run", "--nope");
    assertEquals(64, r.code());
    assertTrue(r.line().startsWith("hostmesh run: Unknown option: '--nope'"), r.err());
    assertEquals(64, cli("frobnicate").code());
  }

  @Test
  void aMissingRootIsRefusedNotCreated() {
    Path missing = tmp.resolve("nonexistent");
    Result r = cli("run", "--root", missing.toString());
    assertEquals(66, r.code());
    assertEquals("hostmesh run: no device root at " + missing + ": make one with: hostmesh sim init " + missing, r.line());
    assertFalse(Files.exists(missing), "never created");

    Result empty = cli("run", "--root", tmp.toString());
    assertEquals(66, empty.code());
    assertEquals("hostmesh run: " + tmp + " is not a device root (no mnt/boot/config.json): make one with: hostmesh sim init "
        + tmp, empty.line());

    Result noRoot = cli("run", "--profile", "sim");
    assertEquals(64, noRoot.code());
    assertTrue(noRoot.line().contains("--root DIR is required with --profile sim (make one with: hostmesh sim init DIR)"));
  }

  @Test
  void portsOutOfRangeAreRefusedBeforeAnythingHappens() {
    Path dir = tmp.resolve("dev");
    Result init = cli("sim", "init", dir.toString(), "--port", "99999");
    assertEquals(64, init.code());
    assertEquals("hostmesh sim init: --port must be a TCP port 0-65535, not 99999 (see hostmesh sim init --help)", init.line());
    assertFalse(Files.exists(dir), "nothing laid out");
    assertEquals(64, cli("sim", "init", dir.toString(), "--ssh-port", "-1").code());

    Result status = cli("status", "--port", "99999");
    assertEquals(64, status.code());
    assertEquals("hostmesh status: --port must be a TCP port 0-65535, not 99999 (see hostmesh status --help)", status.line());
    assertEquals(64, cli("analyze", "--port", "70000", "blame").code());
    assertEquals(64, cli("demo", "--port", "65536").code());
    assertEquals(64, cli("status", "--port", "abc").code());
  }

  @Test
  void simInitRefusesAFileAndTheHostRootAndNonLoopbackAddresses() {
    Result file = cli("sim", "init", "/etc/passwd");
    assertEquals(73, file.code());
    assertEquals("hostmesh sim init: cannot lay out a device root in /etc/passwd: it is a file, not a folder", file.line());

    Result slash = cli("sim", "init", "/");
    assertEquals(73, slash.code());
    assertTrue(slash.line().contains("that is this machine's own root"), slash.err());

    Path dir = tmp.resolve("dev");
    Result address = cli("sim", "init", dir.toString(), "--address", "10.0.0.5");
    assertEquals(64, address.code());
    assertEquals("hostmesh sim init: --address must be a loopback address 127.0.0.1-127.255.255.254, not 10.0.0.5",
        address.line());
    assertEquals(64, cli("sim", "init", dir.toString(), "--address", "127.0.0.300").code());
    assertFalse(Files.exists(dir));
  }

  @Test
  void settingsThatAreNotJsonNameTheFileAndLine() throws Exception {
    Path dir = tmp.resolve("dev");
    assertEquals(0, cli("sim", "init", dir.toString()).code());
    Path settings = dir.resolve("etc/hostmesh/hostmesh.json");
    Files.writeString(settings, "{\n  \"api\": { \"port\": 48400 },\n  oops\n}\n");
    Result r = cli("run", "--root", dir.toString(), "--exit-when-ready");
    assertEquals(78, r.code(), r.err());
    assertTrue(r.line().startsWith("hostmesh run: settings not valid: " + settings + ":3: not JSON: Unexpected character ('o'"),
        r.err());

    Files.writeString(settings, "{\n  \"api\": {\n    \"host\": \"127.0.0.1\",\n    \"port\": \"abc\"\n  }\n}\n");
    Result port = cli("run", "--root", dir.toString(), "--exit-when-ready");
    assertEquals(78, port.code());
    assertEquals("hostmesh run: settings not valid: " + settings + ":4: api.port must be a TCP port 0-65535"
        + " (0 picks a free one, -1 turns the API off), not \"abc\"", port.line());

    Files.writeString(settings, "{ \"units\": { \"chronyd\": { \"enabled\": \"no\" } } }");
    assertTrue(cli("run", "--root", dir.toString()).line().endsWith(
        settings + ":1: units.chronyd.enabled must be true or false, not \"no\""));
    Files.writeString(settings, "{ \"api\": {}, \"api\": {} }");
    assertTrue(cli("run", "--root", dir.toString()).line().contains(":1: not JSON: Duplicate field 'api'"));
  }

  @Test
  void anApiPortInUseIsNamedWithItsSetting() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Path dir = tmp.resolve("dev");
      assertEquals(0, cli("sim", "init", dir.toString(), "--port", Integer.toString(taken.getLocalPort()), "--ssh-port", "0")
          .code());
      Result r = cli("run", "--root", dir.toString(), "--exit-when-ready");
      assertEquals(69, r.code(), r.err());
      assertEquals("hostmesh run: API port " + taken.getLocalPort() + " on 127.0.0.1 is in use by another program (setting"
          + " api.port in " + dir.resolve("etc/hostmesh/hostmesh.json") + "; 0 picks a free port)", r.line());
      assertFalse(r.out().contains("activating"), "no unit started:\n" + r.out());
    }
  }

  @Test
  void anInvalidUnitGraphIsAConfigurationError() throws Exception {
    // this module's test class path holds the small units but not timesync-https, which some require
    Path dir = tmp.resolve("dev");
    assertEquals(0, cli("sim", "init", dir.toString(), "--port", "0", "--ssh-port", "0").code());
    Result r = cli("run", "--root", dir.toString(), "--exit-when-ready");
    assertEquals(78, r.code(), r.err());
    assertTrue(r.line().startsWith("hostmesh run: cannot start: "), r.err());
  }

  @Test
  void configSetNeverCreatesAMissingRoot() {
    Path missing = tmp.resolve("nonexistent/dir");
    Result r = cli("config", "set", "hostname", "x", "--root", missing.toString());
    assertEquals(66, r.code());
    assertEquals("hostmesh config set: no device root at " + missing + ": make one with: hostmesh sim init " + missing, r.line());
    assertFalse(Files.exists(missing.getParent()));
  }

  @Test
  void criticalChainOfAnUnknownUnitFails() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (SimDevice dev = SimDevice.builder(vertx).unit(BuildTimeInit::new).unit(FakeHwclock::new)
        .file(BuildTime.FILE, TimeFormats.stamp(Instant.now()) + "\n").build()) {
      dev.start().await();
      dev.mesh().whenSettled().await();
      HttpApi api = new HttpApi(dev.mesh(), "127.0.0.1", 0);
      vertx.deployVerticle(api).await();
      String port = Integer.toString(api.port());

      Result r = cli("analyze", "--port", port, "critical-chain", "nosuchunit");
      assertEquals(66, r.code());
      assertEquals("hostmesh analyze critical-chain: no unit named nosuchunit (hostmesh status lists them)", r.line());
      Result ok = cli("analyze", "--port", port, "critical-chain", "fake-hwclock");
      assertEquals(0, ok.code(), ok.err());
      assertTrue(ok.out().contains("fake-hwclock @"), ok.out());
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void simInitGivesEachDeviceItsOwnUuidAddressAndPorts() throws Exception {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Result first = cli("sim", "init", a.toString(), "--address", "127.0.0.7");
    assertEquals(0, first.code(), first.err());
    assertTrue(first.out().contains("API on 127.0.0.7:48400, SSH on 127.0.0.7:22222"), first.out());
    assertEquals(0, cli("sim", "init", b.toString(), "--ssh-port", "2222").code());
    var mapper = io.hostmesh.schema.config.ConfigDocument.mapper();
    String uuidA = mapper.readTree(a.resolve("mnt/boot/config.json").toFile()).get("uuid").asText();
    String uuidB = mapper.readTree(b.resolve("mnt/boot/config.json").toFile()).get("uuid").asText();
    assertTrue(uuidA.matches("[0-9a-f]{32}"), uuidA);
    assertFalse(uuidA.equals(uuidB), "a uuid per device");
    assertFalse(uuidA.startsWith("d3m0c0f"));
    var settingsA = new io.vertx.core.json.JsonObject(Files.readString(a.resolve("etc/hostmesh/hostmesh.json")));
    assertEquals("127.0.0.7", settingsA.getJsonObject("api").getString("host"));
    assertEquals("127.0.0.7", settingsA.getJsonObject("units").getJsonObject("ssh-socket").getString("host"));
    assertEquals(22222, settingsA.getJsonObject("units").getJsonObject("ssh-socket").getInteger("port"));
    var settingsB = new io.vertx.core.json.JsonObject(Files.readString(b.resolve("etc/hostmesh/hostmesh.json")));
    assertEquals(2222, settingsB.getJsonObject("units").getJsonObject("ssh-socket").getInteger("port"));

    // again on an existing device: nothing is rewritten
    byte[] config = Files.readAllBytes(a.resolve("mnt/boot/config.json"));
    Result again = cli("sim", "init", a.toString(), "--address", "127.0.0.8");
    assertEquals(0, again.code());
    assertTrue(again.out().contains("its config.json kept") && again.out().contains("its settings kept"), again.out());
    assertEquals(new String(config), Files.readString(a.resolve("mnt/boot/config.json")));
    assertTrue(Files.readString(a.resolve("etc/hostmesh/hostmesh.json")).contains("127.0.0.7"));
  }
}
