package io.hostmesh.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.hostmesh.bus.JsonRecordCodec;
import io.hostmesh.mesh.UnitStatus;
import io.hostmesh.schema.unit.UnitStateChanged;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** Reads the mesh's HTTP API for {@code status} and {@code analyze}. */
final class ApiClient {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final String base;

  ApiClient(String host, int port) {
    this.base = "http://" + host + ":" + port;
  }

  List<UnitStatus> units() throws IOException {
    return get("/v1/units", new TypeReference<>() {});
  }

  List<UnitStateChanged> timeline() throws IOException {
    return get("/v1/timeline", new TypeReference<>() {});
  }

  /** {@code /health}'s status: UP, DEGRADED or FAILED (answered with 503, which is an answer here). */
  String health() throws IOException {
    try {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200 && r.statusCode() != 503) {
        throw new IOException(base + "/health answered " + r.statusCode());
      }
      return JsonRecordCodec.mapper().readTree(r.body()).path("status").asText("FAILED");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private <T> T get(String path, TypeReference<T> type) throws IOException {
    try {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IOException(base + path + " answered " + r.statusCode());
      }
      return JsonRecordCodec.mapper().readValue(r.body(), type);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (java.net.ConnectException e) {
      throw new IOException("no hostmesh API at " + base + " (is the mesh running? --port selects another)", e);
    }
  }
}
