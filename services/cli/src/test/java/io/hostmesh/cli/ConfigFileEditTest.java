package io.hostmesh.cli;

import io.hostmesh.platform.Platforms;

import io.hostmesh.unit.support.ConfigFileEdit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.cli.ConfigCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** ConfigFileEdit (merge patch, atomic write, validation) and {@code hostmesh config set}. */
class ConfigFileEditTest {
  @TempDir
  Path root;

  private int cli(StringWriter err, String... args) {
    CommandLine cl = new CommandLine(new ConfigCommand());
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  private String config() throws Exception {
    return Files.readString(root.resolve("mnt/boot/config.json"));
  }

  @Test
  void setMergesDottedKeysAndParsesValues() throws Exception {
    Files.createDirectories(root.resolve("mnt/boot"));
    Files.writeString(root.resolve("mnt/boot/config.json"), "{\"uuid\":\"abc\",\"os\":{\"sshKeys\":[\"k\"]},\"x\":1}");
    StringWriter err = new StringWriter();
    assertEquals(0, cli(err, "set", "--root", root.toString(), "os.network.connectivity.uri", "http://a/b"));
    assertEquals(0, cli(err, "set", "--root", root.toString(), "--json", "os.network.wifi.randomMacAddressScan", "true"));
    assertEquals(0, cli(err, "set", "--root", root.toString(), "dnsServers", "1.1.1.1 1.1.1.1"));
    assertEquals(0, cli(err, "set", "--root", root.toString(), "x", "null"));
    assertEquals("{\"uuid\":\"abc\",\"os\":{\"sshKeys\":[\"k\"],\"network\":{\"connectivity\":{\"uri\":\"http://a/b\"},"
        + "\"wifi\":{\"randomMacAddressScan\":true}}},\"dnsServers\":\"1.1.1.1 1.1.1.1\"}", config());
    try (var s = Files.list(root.resolve("mnt/boot"))) {
      assertEquals(1, s.count(), "no temporary file left");
    }
  }

  @Test
  void refusedEditsWriteNothing() throws Exception {
    Files.createDirectories(root.resolve("mnt/boot"));
    Files.writeString(root.resolve("mnt/boot/config.json"), "{\"hostname\":\"ok\"}");
    StringWriter err = new StringWriter();
    assertEquals(ConfigCommand.REFUSED, cli(err, "set", "--root", root.toString(), "hostname", "a;reboot"));
    assertTrue(err.toString().contains("/hostname: must be an RFC 1123 host name"), err.toString());
    assertEquals(ConfigCommand.REFUSED, cli(err, "set", "--root", root.toString(), "--json", "os.udevRules", "{\"../x\":\"y\"}"));
    assertEquals(ConfigCommand.REFUSED, cli(err, "set", "--root", root.toString(), "--json", "dnsServers", "{}"));
    assertEquals(64, cli(err, "set", "--root", root.toString(), "a..b", "1"));
    assertEquals("{\"hostname\":\"ok\"}", config());
    Files.writeString(root.resolve("mnt/boot/config.json"), "{\"hostname\":");
    var files = Platforms.files(root);
    var refused = assertThrows(ConfigFileEdit.Refused.class,
        () -> ConfigFileEdit.set(files, "hostname", ConfigFileEdit.parseValue("x")));
    assertTrue(refused.violation().reason().contains("not valid JSON"));
    assertEquals("{\"hostname\":", config(), "a broken file is never clobbered");
  }

  @Test
  void aMissingFileIsCreatedAndMergePatchFollowsRfc7396() throws Exception {
    assertEquals(0, cli(new StringWriter(), "set", "--root", root.toString(), "--json", "hostname", "1234"));
    assertEquals("{\"hostname\":1234}", config());
    var m = ConfigFileEdit.mergePatch(ConfigFileEdit.parseValue("{\"a\":{\"b\":1,\"c\":2},\"d\":[1]}"),
        ConfigFileEdit.parseValue("{\"a\":{\"b\":null,\"e\":3},\"d\":{\"x\":1}}"));
    assertEquals("{\"a\":{\"c\":2,\"e\":3},\"d\":{\"x\":1}}", m.toString());
  }
}
