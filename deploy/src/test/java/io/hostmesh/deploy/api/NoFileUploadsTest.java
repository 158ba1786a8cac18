package io.hostmesh.deploy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.api.HttpApi;
import io.hostmesh.testing.SimDevice;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP API stores no file uploads: multipart bodies with file parts sent to every route that
 * reads a body (the routes of all modules, as the distribution mounts them) leave no
 * {@code file-uploads/} folder in the working directory, the device root or the temporary folder,
 * and no file at all in the device root; a body over a route's limit is refused unread (413).
 * Before, Vert.x Web's default body handler stored each uploaded file under {@code ./file-uploads}
 * (on a device {@code /file-uploads}, with the image's API on 0.0.0.0).
 */
@Timeout(60)
class NoFileUploadsTest {
  private static final String BOUNDARY = "hostmesh-test-boundary";
  private Vertx vertx;
  private SimDevice dev;
  private String base;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void boot() {
    vertx = Vertx.vertx();
    dev = SimDevice.builder(vertx).build();
    dev.start().await();
    HttpApi api = new HttpApi(dev.mesh(), "127.0.0.1", 0);
    vertx.deployVerticle(api).await();
    base = "http://127.0.0.1:" + api.port();
  }

  @AfterEach
  void close() {
    dev.stop().await();
    dev.close();
    vertx.close().await();
  }

  @Test
  void multipartBodiesLeaveNoFileAnywhere() throws Exception {
    Set<String> before = files(dev.root());
    assertEquals(400, send("POST", "/v1/sim/network", multipart(500)).statusCode(), "not {\"online\": ...}");
    assertEquals(415, send("PATCH", "/v1/config", multipart(100_000)).statusCode(), "not a merge patch");
    assertEquals(400, send("POST", "/v1/dhcp-ntp", multipart(8_000)).statusCode());
    assertEquals(400, send("POST", "/v1/sim/dhcp-ntp", multipart(8_000)).statusCode());
    // over the route's limit (1 KB for /v1/sim/network, 256 KB for /v1/config): refused
    assertEquals(413, send("POST", "/v1/sim/network", multipart(200_000)).statusCode());
    assertEquals(413, send("PATCH", "/v1/config", multipart(2_000_000)).statusCode());

    for (Path dir : List.of(Path.of("").toAbsolutePath(), dev.root(), Path.of(System.getProperty("java.io.tmpdir")))) {
      assertFalse(Files.exists(dir.resolve("file-uploads")), "no file-uploads folder in " + dir);
    }
    assertEquals(before, files(dev.root()), "no file appeared under the device root");
  }

  private HttpResponse<String> send(String method, String path, byte[] body) throws IOException, InterruptedException {
    HttpRequest rq = HttpRequest.newBuilder(URI.create(base + path))
        .header("content-type", "multipart/form-data; boundary=" + BOUNDARY)
        .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build();
    try {
      return http.send(rq, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IOException(method + " " + path + " (" + body.length + " bytes): " + e, e);
    }
  }

  /** A form with a text field and a file part of {@code size} bytes. */
  private static byte[] multipart(int size) {
    String head = "--" + BOUNDARY + "\r\ncontent-disposition: form-data; name=\"online\"\r\n\r\nfalse\r\n"
        + "--" + BOUNDARY + "\r\ncontent-disposition: form-data; name=\"upload\"; filename=\"hostmesh-upload.bin\"\r\n"
        + "content-type: application/octet-stream\r\n\r\n";
    String tail = "\r\n--" + BOUNDARY + "--\r\n";
    byte[] h = head.getBytes(StandardCharsets.US_ASCII);
    byte[] t = tail.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[h.length + size + t.length];
    System.arraycopy(h, 0, out, 0, h.length);
    java.util.Arrays.fill(out, h.length, h.length + size, (byte) 'x');
    System.arraycopy(t, 0, out, h.length + size, t.length);
    return out;
  }

  private static Set<String> files(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.map(p -> root.relativize(p).toString()).collect(Collectors.toSet());
    }
  }
}
