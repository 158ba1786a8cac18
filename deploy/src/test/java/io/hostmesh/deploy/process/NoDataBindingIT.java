package io.hostmesh.deploy.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.deploy.support.ChildJvm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device boots, serves its API, applies a config.json edit and stops without Jackson's
 * {@code ObjectMapper}: neither hostmesh (records and config.json go through the streaming
 * parser and generator) nor Vert.x (its streaming codec, not the data-binding one) builds one.
 * Data binding is about 600 of the 5,200 classes a device loaded before; each costs resident
 * memory and start-up time. The JVM's own class-loading log is the witness.
 */
@Timeout(180)
class NoDataBindingIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);

  @TempDir
  Path tmp;

  @Test
  void aDeviceRunsWithoutTheMapper() throws Exception {
    Path root = Cli.device(tmp.resolve("dev"));
    Path classes = tmp.resolve("classes.log");
    List<String> jvm = List.of("-Xlog:class+load=info:file=" + classes);
    try (ChildJvm device = ChildJvm.hostmesh(jvm, Map.of(), "run", "--profile", "sim", "--root", root.toString())) {
      String api = device.await(l -> l.startsWith("API on "), LIMIT);
      int port = Integer.parseInt(api.replaceAll(".*:(\\d+).*", "$1"));
      device.await(l -> l.matches("all \\d+ units settled .*"), LIMIT);
      // the API's records and a config.json edit (read, validated, applied) on the device's path
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (String path : List.of("/v1/units", "/v1/logs", "/v1/timeline", "/v1/config/status")) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        assertTrue(r.body().startsWith("{") || r.body().startsWith("["), path + ": " + r.body());
      }
      assertEquals(0, Cli.run("config", "set", "--root", root.toString(), "hostname", "diet").code());
      Path hostname = root.resolve("etc/hostname");
      long deadline = System.nanoTime() + LIMIT.toNanos();
      while (!(Files.exists(hostname) && Files.readString(hostname).equals("diet\n")) && System.nanoTime() < deadline) {
        synchronized (this) { // polled: the file is the device's answer
          wait(20);
        }
      }
      assertEquals("diet\n", Files.readString(hostname), "the edit applied");
      device.process().destroy();
      device.waitFor(LIMIT);
    }
    List<String> loaded = Files.readAllLines(classes);
    assertTrue(loaded.stream().anyMatch(l -> l.contains(" io.hostmesh.schema.config.JsonTrees ")),
        "the log is of the device: JsonTrees loaded");
    List<String> mapper = loaded.stream()
        .filter(l -> l.contains(" com.fasterxml.jackson.databind.ObjectMapper ") || l.contains(".DatabindCodec "))
        .toList();
    assertEquals(List.of(), mapper, "loaded by the device");
  }
}
