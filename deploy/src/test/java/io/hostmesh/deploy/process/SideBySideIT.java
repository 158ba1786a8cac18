package io.hostmesh.deploy.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hostmesh.deploy.support.ChildJvm;
import io.hostmesh.schema.config.ConfigDocument;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two simulated devices on the ports a real device uses (API 48400, SSH 22222), each on its own
 * loopback address ({@code sim init --address}), each with its own uuid, run side by side as two
 * {@code hostmesh run} processes; {@code status --host} reaches each.
 */
@Timeout(180)
class SideBySideIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);

  @TempDir
  Path tmp;

  @Test
  void twoDevicesOnTheSamePortsOfTheirOwnAddresses() throws Exception {
    // addresses no other test uses: 127.<random>.<random>.1x
    int b = ThreadLocalRandom.current().nextInt(100, 250);
    int c = ThreadLocalRandom.current().nextInt(1, 250);
    String a1 = "127." + b + "." + c + ".11";
    String a2 = "127." + b + "." + c + ".12";
    Path d1 = tmp.resolve("dev1");
    Path d2 = tmp.resolve("dev2");
    assertEquals(0, Cli.run("sim", "init", d1.toString(), "--address", a1).code());
    assertEquals(0, Cli.run("sim", "init", d2.toString(), "--address", a2).code());
    JsonNode c1 = ConfigDocument.mapper().readTree(d1.resolve("mnt/boot/config.json").toFile());
    JsonNode c2 = ConfigDocument.mapper().readTree(d2.resolve("mnt/boot/config.json").toFile());
    assertNotEquals(c1.get("uuid"), c2.get("uuid"));

    try (ChildJvm m1 = ChildJvm.hostmesh(List.of(), Map.of(), "run", "--root", d1.toString());
         ChildJvm m2 = ChildJvm.hostmesh(List.of(), Map.of(), "run", "--root", d2.toString())) {
      m1.await(l -> l.startsWith("API on http://" + a1 + ":48400"), LIMIT);
      m2.await(l -> l.startsWith("API on http://" + a2 + ":48400"), LIMIT);
      m1.await(l -> Cli.isState(l, "ssh-socket", "(active|skipped)"), LIMIT);
      m2.await(l -> Cli.isState(l, "ssh-socket", "(active|skipped)"), LIMIT);
      if (m1.lines().stream().anyMatch(l -> Cli.isState(l, "ssh-socket", "active"))) {
        m1.await(l -> l.contains("Listening on " + a1 + ":22222"), LIMIT);
        m2.await(l -> l.contains("Listening on " + a2 + ":22222"), LIMIT);
      }
      for (String address : List.of(a1, a2)) {
        Cli.Result status = Cli.run("status", "--host", address, "--port", "48400");
        assertTrue(status.code() == 0 || status.code() == 3, status.err());
        String units = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://" + address + ":48400/v1/units")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(units.contains("\"ssh-socket\""), units);
      }
      m1.process().destroy();
      m2.process().destroy();
      for (ChildJvm m : List.of(m1, m2)) {
        int code = m.waitFor(LIMIT);
        assertTrue(code == 0 || code == 143, "exit code " + code);
      }
    }
  }
}
