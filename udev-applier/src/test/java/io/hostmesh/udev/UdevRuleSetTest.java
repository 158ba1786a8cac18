package io.hostmesh.udev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.mesh.MeshSettings;
import io.hostmesh.platform.Poll;
import io.hostmesh.schema.config.ConfigDocument;
import io.hostmesh.schema.config.ConfigError;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.Projections.UdevRulesConfig;
import io.hostmesh.schema.host.CommandRecorded;
import io.hostmesh.schema.host.HostTopics;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.testing.SimDevice;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** os-udevrules on a sim root with virtual time; the projection is cut from a config.json as config-watcher does. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UdevRuleSetTest {
  static final String SUITE_RULE = "ENV{ID_FS_LABEL_ENC}==\"resin-boot\", SYMLINK+=\"disk/test\"";
  static final List<String> RELOAD = List.of("udevadm", "control", "--reload-rules");
  static final List<String> TRIGGER = List.of("udevadm", "trigger");

  private SimDevice dev;
  private final List<List<String>> commands = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    if (dev != null) {
      dev.stop().await();
      dev.close();
    }
  }

  /** The os-udevrules projection of a config.json text, as config-watcher would latch it. */
  static UdevRulesConfig fromConfigJson(String json) {
    ConfigDocument.Reading r = ConfigDocument.read(json.getBytes(StandardCharsets.UTF_8));
    assertTrue(r.ok(), () -> r.violations().toString());
    return new UdevRulesConfig(r.config().udevRules());
  }

  private SimDevice started(Vertx vertx, UdevRulesConfig first, JsonObject unitSettings) {
    dev = SimDevice.builder(vertx).virtualTime().unit(UdevRuleSet::new).external(ConfigTopics.UDEV_RULES)
        .settings(s -> s.put("units", new JsonObject().put(UdevRuleSet.NAME, unitSettings))).build();
    dev.bus().subscribe(HostTopics.COMMAND_RECORDED, (CommandRecorded c) -> commands.add(c.argv())).completion().await();
    dev.bus().publish(ConfigTopics.UDEV_RULES, first);
    dev.start().await();
    if (!unitSettings.containsKey("settleSeconds")) {
      dev.awaitUnit(UdevRuleSet.NAME, UnitState.ACTIVE).await();
    }
    return dev;
  }

  private void awaitCommands(int n) {
    dev.await(ConfigTopics.UDEV_RULES, x -> true).await();
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (commands.size() < n && System.nanoTime() < end) {
      dev.time().advanceBy(Duration.ofMillis(1)).await();
    }
    assertEquals(n, commands.size(), commands.toString());
  }

  @Test
  void suiteRuleIsWrittenReloadedAndRemoved(Vertx vertx) throws Exception {
    started(vertx, fromConfigJson("{\"os\":{\"udevRules\":{\"99\":" + JsonObject.of("r", SUITE_RULE).getValue("r")
        .toString().transform(s -> "\"" + s.replace("\"", "\\\"") + "\"") + "}}}"), new JsonObject());
    assertEquals(SUITE_RULE + "\n", dev.readFile("/etc/udev/rules.d/99.rules"));
    assertEquals(UdevRuleSet.README_TEXT, dev.readFile("/etc/udev/rules.d/README"));
    awaitCommands(2);
    assertEquals(List.of(RELOAD, TRIGGER), commands);

    dev.bus().publish(ConfigTopics.UDEV_RULES, fromConfigJson("{\"os\":{}}"));
    dev.awaitLog(UdevRuleSet.NAME, "none configured").await();
    assertFalse(Files.exists(dev.path("/etc/udev/rules.d/99.rules")));
    assertTrue(Files.exists(dev.path("/etc/udev/rules.d/README")), "the README is kept");
    awaitCommands(4);
  }

  @Test
  void theReadmeComesOnlyWithRules(Vertx vertx) throws Exception {
    started(vertx, fromConfigJson("{\"os\":{}}"), new JsonObject());
    assertFalse(Files.exists(dev.path("/etc/udev/rules.d/README")), "no rules, no README, as the original");
    dev.bus().publish(ConfigTopics.UDEV_RULES, new UdevRulesConfig(Map.of("99", "KERNEL==\"x\"")));
    awaitCommands(2);
    assertEquals(UdevRuleSet.README_TEXT, dev.readFile("/etc/udev/rules.d/README"));
  }

  @Test
  void unchangedRulesCauseNoReloadAndStrayFilesGo(Vertx vertx) throws Exception {
    dev = null;
    UdevRulesConfig rules = new UdevRulesConfig(Map.of("10-a", "KERNEL==\"a\"", "20-b", "KERNEL==\"b\""));
    started(vertx, rules, new JsonObject());
    awaitCommands(2);
    dev.bus().publish(ConfigTopics.UDEV_RULES, new UdevRulesConfig(Map.of("20-b", "KERNEL==\"b\"", "10-a", "KERNEL==\"a\"")));
    dev.writeFile("/etc/udev/rules.d/stray.rules", "KERNEL==\"stray\"\n");
    dev.bus().publish(ConfigTopics.UDEV_RULES, new UdevRulesConfig(Map.of("10-a", "KERNEL==\"a\"", "20-b", "KERNEL==\"b\"")));
    dev.awaitLog(UdevRuleSet.NAME, "udev rules changed: 10-a.rules 20-b.rules").await();
    // the first republish changed nothing; the stray file made the second one reload once
    awaitCommands(4);
    assertFalse(Files.exists(dev.path("/etc/udev/rules.d/stray.rules")));
    assertEquals(List.of("10-a.rules", "20-b.rules", "README"), dev.mesh().platform().files().list("/etc/udev/rules.d"));
  }

  @Test
  void settleWaitIsASetting(Vertx vertx) {
    started(vertx, new UdevRulesConfig(Map.of("99", "KERNEL==\"x\"")), new JsonObject().put("settleSeconds", 60));
    dev.awaitLog(UdevRuleSet.NAME, "Wait for udev to settle").await();
    dev.time().advanceBy(Duration.ofSeconds(59)).await();
    assertEquals(List.of(), commands);
    dev.time().advanceBy(Duration.ofSeconds(1)).await();
    awaitCommands(2);
  }

  @Test
  void hostileRuleNamesAreRefusedAndNothingIsWritten(Vertx vertx) throws Exception {
    started(vertx, new UdevRulesConfig(Map.of("99", "KERNEL==\"x\"")), new JsonObject());
    awaitCommands(2);
    List<ConfigError> errors = new CopyOnWriteArrayList<>();
    dev.bus().subscribe(ConfigTopics.CONFIG_ERROR, errors::add).completion().await();
    // published directly: config-watcher's schema would refuse these first; the unit checks again
    for (String name : List.of("../../etc/x", "a;reboot", "$(reboot)", "x\ny", "..", "a/b")) {
      dev.bus().publish(ConfigTopics.UDEV_RULES, new UdevRulesConfig(Map.of("00-ok", "KERNEL==\"ok\"", name, "KERNEL==\"x\"")));
      var failed = dev.awaitUnit(UdevRuleSet.NAME, UnitState.FAILED).await();
      assertTrue(failed.detail().startsWith("/os/udevRules/"), failed.detail());
      assertFalse(Files.exists(dev.root().resolve("etc/x")));
      assertFalse(Files.exists(dev.root().resolve("etc/x.rules")));
      assertEquals(List.of("99.rules", "README"), dev.mesh().platform().files().list("/etc/udev/rules.d"));
      // fixing the value heals the unit at its next start
      dev.bus().publish(ConfigTopics.UDEV_RULES, new UdevRulesConfig(Map.of("99", "KERNEL==\"x\"")));
      dev.time().advanceBy(Duration.ofSeconds(10)).await();
      dev.awaitUnit(UdevRuleSet.NAME, UnitState.ACTIVE).await();
    }
    assertEquals(6, errors.size());
    assertEquals(UdevRuleSet.NAME, errors.get(0).unit());
    assertEquals("/os/udevRules/..~1..~1etc~1x", errors.get(0).path());
    assertEquals(2, commands.size(), "no reload for a refused set");
  }

  /**
   * A udevadm that fails once: every call is appended to {@code calls}; when the file
   * {@code fail-once} names the subcommand, the file is removed and the call fails.
   */
  static final String FLAKY_UDEVADM = String.join("\n",
      "#!/bin/sh",
      "dir=$(dirname \"$0\")",
      "echo \"$*\" >> \"$dir/calls\"",
      "if [ -f \"$dir/fail-once\" ] && [ \"$(cat \"$dir/fail-once\")\" = \"$1\" ]; then",
      "  rm -f \"$dir/fail-once\"",
      "  echo \"udevadm $1: injected failure\" >&2",
      "  exit 1",
      "fi",
      "exit 0",
      "");

  /** A device on {@code root} that runs {@code bin/udevadm} instead of recording it. */
  private static SimDevice withFlakyUdevadm(Vertx vertx, Path root, Path bin) throws Exception {
    Path udevadm = bin.resolve("udevadm");
    if (!Files.exists(udevadm)) {
      Files.createDirectories(bin);
      Files.writeString(udevadm, FLAKY_UDEVADM);
      Files.setPosixFilePermissions(udevadm, PosixFilePermissions.fromString("rwx------"));
    }
    JsonArray recorded = new JsonArray();
    MeshSettings.DEFAULT_SIM_RECORDED.stream().filter(c -> !c.equals("udevadm")).sorted().forEach(recorded::add);
    return SimDevice.builder(vertx).virtualTime().root(root).unit(UdevRuleSet::new).external(ConfigTopics.UDEV_RULES)
        .settings(s -> s.put("sim", new JsonObject().put("record", recorded))
            .put("units", new JsonObject().put(UdevRuleSet.NAME, new JsonObject().put("udevadm", udevadm.toString()))))
        .build();
  }

  private static List<String> calls(Path bin) throws Exception {
    Path f = bin.resolve("calls");
    return Files.exists(f) ? Files.readAllLines(f) : List.of();
  }

  @Test
  void aFailedTriggerIsRetriedByTheRestartedUnit(Vertx vertx, @TempDir Path tmp) throws Exception {
    Path bin = tmp.resolve("bin");
    dev = withFlakyUdevadm(vertx, tmp.resolve("root"), bin);
    dev.bus().publish(ConfigTopics.UDEV_RULES, new UdevRulesConfig(Map.of("10-a", "KERNEL==\"a\"")));
    dev.start().await();
    dev.awaitUnit(UdevRuleSet.NAME, UnitState.ACTIVE).await();
    assertEquals(List.of("control --reload-rules", "trigger"), calls(bin));
    assertFalse(dev.mesh().platform().files().exists(UdevRuleSet.RELOAD_OWED));

    Files.writeString(bin.resolve("fail-once"), "trigger\n");
    dev.bus().publish(ConfigTopics.UDEV_RULES, new UdevRulesConfig(Map.of("10-a", "KERNEL==\"b\"")));
    var failed = dev.awaitUnit(UdevRuleSet.NAME, UnitState.FAILED).await();
    assertTrue(failed.detail().contains("udevadm trigger: injected failure"), failed.detail());
    assertEquals("KERNEL==\"b\"\n", dev.readFile("/etc/udev/rules.d/10-a.rules"), "the rules are written");
    assertTrue(dev.mesh().platform().files().exists(UdevRuleSet.RELOAD_OWED), "the reload is owed");

    // the restarted unit finds the rule files as it wants them, and still reloads
    dev.time().advanceBy(Duration.ofSeconds(10)).await();
    dev.awaitUnit(UdevRuleSet.NAME, UnitState.ACTIVE).await();
    assertEquals(List.of("control --reload-rules", "trigger", "control --reload-rules", "trigger",
        "control --reload-rules", "trigger"), calls(bin));
    assertTrue(dev.logged(UdevRuleSet.NAME, "udev has not reloaded the rules written before"));
    assertFalse(dev.mesh().platform().files().exists(UdevRuleSet.RELOAD_OWED), "paid");

    // paid: the same rules again reload nothing; the next change reloads once
    dev.bus().publish(ConfigTopics.UDEV_RULES, new UdevRulesConfig(Map.of("10-a", "KERNEL==\"b\"")));
    dev.bus().publish(ConfigTopics.UDEV_RULES, new UdevRulesConfig(Map.of("10-a", "KERNEL==\"c\"")));
    // the mark is written before the rule file, so "file is c, mark gone" means c's reload is done
    Poll.until(vertx, Duration.ofSeconds(10), Duration.ofMillis(10), "the reload for KERNEL==c",
        () -> dev.readFile("/etc/udev/rules.d/10-a.rules").equals("KERNEL==\"c\"\n")
            && !dev.mesh().platform().files().exists(UdevRuleSet.RELOAD_OWED)).await();
    assertEquals(8, calls(bin).size(), calls(bin).toString());
  }

  @Test
  void anOwedReloadSurvivesAMeshRestart(Vertx vertx, @TempDir Path tmp) throws Exception {
    Path bin = tmp.resolve("bin");
    Path root = tmp.resolve("root");
    UdevRulesConfig rules = new UdevRulesConfig(Map.of("99", "KERNEL==\"x\""));
    Files.createDirectories(bin);
    Files.writeString(bin.resolve("fail-once"), "control\n");
    SimDevice first = withFlakyUdevadm(vertx, root, bin);
    try {
      first.bus().publish(ConfigTopics.UDEV_RULES, rules);
      first.start().await();
      var failed = first.awaitUnit(UdevRuleSet.NAME, UnitState.FAILED).await();
      assertTrue(failed.detail().contains("udevadm control: injected failure"), failed.detail());
      assertEquals(List.of("control --reload-rules"), calls(bin));
    } finally {
      first.stop().await();
      first.close();
    }
    assertTrue(Files.exists(root.resolve(UdevRuleSet.RELOAD_OWED.substring(1))), "the debt is on disk");

    // a new mesh (a fresh Vert.x: nothing latched survives) on the same root, same rules
    Vertx again = Vertx.vertx();
    try {
      dev = withFlakyUdevadm(again, root, bin);
      dev.bus().publish(ConfigTopics.UDEV_RULES, rules);
      dev.start().await();
      dev.awaitUnit(UdevRuleSet.NAME, UnitState.ACTIVE).await();
      assertEquals(List.of("control --reload-rules", "control --reload-rules", "trigger"), calls(bin));
      assertFalse(Files.exists(root.resolve(UdevRuleSet.RELOAD_OWED.substring(1))));
    } finally {
      if (dev != null) {
        dev.stop().await();
        dev = null;
      }
      again.close().await();
    }
  }
}
