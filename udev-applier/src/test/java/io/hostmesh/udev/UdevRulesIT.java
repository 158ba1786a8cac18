package io.hostmesh.udev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.testing.SimDevice;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What os-udevrules writes is a rule real udev runs: a private systemd-udevd in its own network
 * and mount namespaces (tmpfs over /run/udev and /etc/udev/rules.d, a fresh sysfs) loads the
 * rule applied from config.json, and its RUN+= fires when a veth pair is created in that
 * namespace. Skipped, with the reason, only where unshare is refused.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UdevRulesIT {
  static final String UDEVD = "/lib/systemd/systemd-udevd";
  /** Runs inside the namespaces; values arrive as arguments, never spliced into the script. */
  static final String SCRIPT = String.join("\n",
      "set -e",
      "rules=\"$1\"; marker=\"$2\"; udevd=\"$3\"",
      "mkdir -p /run/udev /etc/udev/rules.d",
      "mount -t tmpfs tmpfs /run/udev",
      "mount -t tmpfs tmpfs /etc/udev/rules.d",
      "cp \"$rules\"/*.rules /etc/udev/rules.d/",
      "mount -t sysfs sysfs /sys",
      "\"$udevd\" & pid=$!",
      "trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT",
      "for i in $(seq 100); do udevadm control --ping 2>/dev/null && break; sleep 0.1; done",
      "ip link add hmit0 type veth peer name hmit1",
      "for i in $(seq 100); do [ -e \"$marker\" ] && exit 0; sleep 0.1; done",
      "echo 'the rule did not fire within 10 s' >&2",
      "exit 1");

  @Test
  void aRuleFromConfigJsonFiresInARealUdevd(Vertx vertx, @TempDir Path tmp) throws Exception {
    assumeTrue(Files.isExecutable(Path.of(UDEVD)), UDEVD + " is not installed");
    ProcessResult probe = run(List.of("unshare", "--net", "--mount", "true"), tmp);
    assumeTrue(probe.code == 0, "unshare --net --mount is refused here: " + probe.output.strip());

    Path marker = tmp.resolve("fired");
    String rule = "ACTION==\"add\", SUBSYSTEM==\"net\", KERNEL==\"hmit0\", RUN+=\"/usr/bin/touch " + marker + "\"";
    String configJson = "{\"os\":{\"udevRules\":{\"99-hostmesh-it\":" + io.vertx.core.json.Json.encode(rule) + "}}}";
    try (SimDevice dev = SimDevice.builder(vertx).unit(UdevRuleSet::new).external(ConfigTopics.UDEV_RULES).build()) {
      dev.bus().publish(ConfigTopics.UDEV_RULES, UdevRuleSetTest.fromConfigJson(configJson));
      dev.start().await();
      dev.awaitUnit(UdevRuleSet.NAME, UnitState.ACTIVE).await();
      assertEquals(rule + "\n", dev.readFile("/etc/udev/rules.d/99-hostmesh-it.rules"));

      ProcessResult r = run(List.of("unshare", "--net", "--mount", "--propagation", "private", "bash", "-c", SCRIPT,
          "udev-it", dev.path("/etc/udev/rules.d").toString(), marker.toString(), UDEVD), tmp);
      assertEquals(0, r.code, r.output);
      assertTrue(Files.exists(marker), "RUN+= ran");
      dev.stop().await();
    }
  }

  record ProcessResult(int code, String output) {}

  private static ProcessResult run(List<String> argv, Path dir) throws IOException, InterruptedException {
    Path log = dir.resolve("process.log");
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(new File("/dev/null")).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      return new ProcessResult(124, "timed out\n" + Files.readString(log, StandardCharsets.UTF_8));
    }
    return new ProcessResult(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
