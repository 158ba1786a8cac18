package io.hostmesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code hostmesh config set|unset|get|check} in-process: messages, warnings, exit codes, and what is written. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConfigCommandTest {
  @TempDir
  Path root;

  /** One run of the command: its exit code and what it printed. */
  record Run(int exit, String out, String err) {}

  private Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new ConfigCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private Run in(String sub, String... args) {
    String[] all = new String[args.length + 3];
    all[0] = sub;
    all[1] = "--root";
    all[2] = root.toString();
    System.arraycopy(args, 0, all, 3, args.length);
    return cli(all);
  }

  private Path file() {
    return root.resolve("mnt/boot/config.json");
  }

  private void write(String json) throws Exception {
    Files.createDirectories(file().getParent());
    Files.writeString(file(), json);
  }

  @Test
  void repairingAFileWithThreeBadKeysOneKeyAtATime() throws Exception {
    write("{\"uuid\":\"abc\",\"ntpServers\":[\"time.example.com\"],\"hostname\":\"a;reboot\",\"dnsServers\":{}}");
    Run check = in("check");
    assertEquals(ConfigCommand.REFUSED, check.exit());
    assertEquals(List.of(
        "/hostname: must be an RFC 1123 host name (letters, digits, inner hyphens, dots), found \"a;reboot\" (holds back hostname)",
        "/ntpServers: must be a string, found an array (holds back ntp)",
        "/dnsServers: must be a string, found an object (holds back dns)",
        file() + ": 3 keys refused; every other key would apply"), check.out().lines().toList());

    Run ntp = in("set", "ntpServers", "time.example.com");
    assertEquals(0, ntp.exit(), ntp.err());
    assertEquals("config.json: ntpServers updated\n", ntp.out());
    assertEquals(List.of(
        "hostmesh config set: warning: /hostname is already refused, left as it was: must be an RFC 1123 host name"
            + " (letters, digits, inner hyphens, dots), found \"a;reboot\" (holds back hostname)",
        "hostmesh config set: warning: /dnsServers is already refused, left as it was: must be a string, found an object"
            + " (holds back dns)"), ntp.err().lines().toList());

    String before = Files.readString(file());
    Run bad = in("set", "hostname", "still bad");
    assertEquals(ConfigCommand.REFUSED, bad.exit());
    assertTrue(bad.err().startsWith("hostmesh config set: refused: /hostname: must be an RFC 1123 host name"), bad.err());
    assertTrue(bad.err().endsWith("hostmesh config set: nothing written\n"), bad.err());
    assertEquals(before, Files.readString(file()), "a refused edit writes nothing");

    Run host = in("set", "hostname", "fixed");
    assertEquals(0, host.exit());
    assertEquals(1, host.err().lines().count(), host.err());
    assertTrue(host.err().contains("/dnsServers is already refused"), host.err());

    Run dns = in("unset", "dnsServers");
    assertEquals(new Run(0, "config.json: dnsServers deleted\n", ""), dns);
    assertEquals(new Run(0, "config.json: dnsServers was not set\n", ""), in("unset", "dnsServers"));
    assertEquals(new Run(0, file() + ": every key is valid\n", ""), in("check"));
    assertEquals("{\"uuid\":\"abc\",\"ntpServers\":\"time.example.com\",\"hostname\":\"fixed\"}", Files.readString(file()));
  }

  @Test
  void valuesAreStringsUnlessJsonIsGivenAndNullDeletes() throws Exception {
    write("{\"dnsServers\":\"1.1.1.1\"}");
    assertEquals(0, in("set", "hostname", "1234").exit());
    assertEquals(0, in("set", "--json", "os.network.connectivity.interval", "60").exit());
    assertEquals(0, in("set", "--json", "os.network.wifi.randomMacAddressScan", "true").exit());
    assertEquals(0, in("set", "ntpServers", "\"null\"").exit(), "a quoted JSON string is that string");
    assertEquals(new Run(0, "config.json: dnsServers deleted\n", ""), in("set", "dnsServers", "null"));
    assertEquals("{\"hostname\":\"1234\",\"os\":{\"network\":{\"connectivity\":{\"interval\":60},"
        + "\"wifi\":{\"randomMacAddressScan\":true}}},\"ntpServers\":\"null\"}", Files.readString(file()));

    Run hint = in("set", "os.network.wifi.randomMacAddressScan", "false");
    assertEquals(ConfigCommand.REFUSED, hint.exit());
    assertTrue(hint.err().contains("/os/network/wifi/randomMacAddressScan: must be a boolean, found a string"
        + " (VALUE is a string unless --json is given: hostmesh config set --json os.network.wifi.randomMacAddressScan false)"),
        hint.err());
    Run notJson = in("set", "--json", "hostname", "{oops");
    assertEquals(ConfigCommand.USAGE, notJson.exit());
    assertTrue(notJson.err().startsWith("hostmesh config set: --json: VALUE is not JSON"), notJson.err());
    Run badKey = in("set", "a..b", "1");
    assertEquals(ConfigCommand.USAGE, badKey.exit());
    assertEquals("hostmesh config set: invalid key 'a..b': empty part between dots\n", badKey.err());
  }

  @Test
  void getPrintsOneKey() throws Exception {
    assertEquals(ConfigCommand.NO_INPUT, in("get", "hostname").exit());
    write("{\"hostname\":\"dev1\",\"os\":{\"sshKeys\":[\"k\"]},\"developmentMode\":true}");
    assertEquals(new Run(0, "dev1\n", ""), in("get", "hostname"));
    assertEquals(new Run(0, "\"dev1\"\n", ""), in("get", "--json", "hostname"));
    assertEquals(new Run(0, "[\"k\"]\n", ""), in("get", "os.sshKeys"));
    assertEquals(new Run(0, "true\n", ""), in("get", "developmentMode"));
    assertEquals(new Run(ConfigCommand.NOT_SET, "", "hostmesh config get: dnsServers is not set\n"), in("get", "dnsServers"));
    write("{\"hostname\":");
    Run broken = in("get", "hostname");
    assertEquals(ConfigCommand.REFUSED, broken.exit());
    assertTrue(broken.err().contains("is refused whole (not valid JSON"), broken.err());
  }

  @Test
  void unknownKeysAreKeptWithAWarningAndCountryIsAnIsoCode() throws Exception {
    write("{}");
    assertEquals(new Run(0, "config.json: nosuchkey updated\n",
        "hostmesh config set: warning: unknown key nosuchkey: kept, no unit reads it\n"), in("set", "nosuchkey", "x"));
    assertEquals(new Run(0, "config.json: applicationId updated\n", ""), in("set", "--json", "applicationId", "1234"),
        "a key other balenaOS parts read is not unknown");
    assertEquals(new Run(0, "config.json: os.udevRules.99-x updated\n", ""), in("set", "os.udevRules.99-x", "KERNEL==\"x\""));
    Run country = in("set", "country", "XX");
    assertEquals(ConfigCommand.REFUSED, country.exit());
    assertTrue(country.err().contains("/country: must be an ISO 3166 alpha-2 country code"), country.err());
    assertEquals(ConfigCommand.REFUSED, in("set", "country", "de").exit(), "capitals, as iw takes them");
    assertEquals(0, in("set", "country", "DE").exit());
    Run check = in("check");
    assertEquals(0, check.exit());
    assertEquals("hostmesh config check: warning: unknown key nosuchkey: kept, no unit reads it\n", check.err());
  }

  @Test
  void checkJudgesAFileOffline() throws Exception {
    Path other = root.resolve("elsewhere.json");
    assertEquals(ConfigCommand.NO_INPUT, cli("check", other.toString()).exit());
    Files.writeString(other, "{\"hostname\":\"a\",");
    Run broken = cli("check", other.toString());
    assertEquals(ConfigCommand.REFUSED, broken.exit());
    assertTrue(broken.out().startsWith("(document): not valid JSON"), broken.out());
    assertTrue(broken.out().endsWith(other + ": refused whole; nothing in it would apply\n"), broken.out());
    Files.writeString(other, "[1]");
    assertTrue(cli("check", other.toString()).out().startsWith("(document): must be a JSON object, found an array"));
    Files.writeString(other, "{\"deviceApiKey\":1,\"os\":\"x\"}");
    assertEquals(List.of("/deviceApiKey: must be a string, found a number (no unit reads it)",
        "/os: must be an object, found a string (holds back networkmanager, connectivity, ssh-keys, development, udev-rules)",
        other + ": 2 keys refused; every other key would apply"), cli("check", other.toString()).out().lines().toList());
  }

  @Test
  void aFifoInPlaceOfConfigJsonIsRefusedWithoutOpeningIt() throws Exception {
    Files.createDirectories(file().getParent());
    Process mkfifo = new ProcessBuilder("mkfifo", file().toString()).start();
    assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
    Run set = in("set", "hostname", "x");
    assertEquals(ConfigCommand.REFUSED, set.exit());
    assertTrue(set.err().contains("is a FIFO, not a regular file; it was not opened"), set.err());
    Run check = in("check");
    assertEquals(new Run(ConfigCommand.REFUSED, "(document): a FIFO, not a regular file; it was not opened\n"
        + file() + ": refused whole; nothing in it would apply\n", ""), check);
    assertEquals(ConfigCommand.REFUSED, in("get", "hostname").exit());
    assertFalse(Files.isRegularFile(file()), "still the FIFO: nothing was written");
  }
}
