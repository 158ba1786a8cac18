package io.hostmesh.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.hostmesh.bus.JsonRecordCodec;
import io.hostmesh.mesh.BootSummary;
import io.hostmesh.mesh.JournalEntry;
import io.hostmesh.mesh.UnitStatus;
import io.hostmesh.schema.unit.UnitStateChanged;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Reads (and asks) the mesh's HTTP API for the {@code hostmesh} commands. */
final class ApiClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  /**
   * HTTP/1.1 only: the default (HTTP/2) makes every plain-http request an h2c upgrade, and an
   * upgraded POST that reboots a sim device lost its answer when that boot's API went ("EOF
   * reached while reading", "GOAWAY received") although the device did reboot.
   */
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(3)).build();
  private final String base;

  /** The API answered with an error status; {@code getMessage()} is its {@code error} text. */
  static final class ApiError extends IOException {
    final int status;

    ApiError(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  /** A POST's answer: its status and body. */
  record Answer(int status, byte[] body) {
    <T> T as(Class<T> type) throws IOException {
      return JsonRecordCodec.mapper().readValue(body, type);
    }
  }

  ApiClient(String host, int port) {
    this.base = "http://" + host + ":" + port;
  }

  String base() {
    return base;
  }

  /**
   * A boot as {@code GET /v1/boots} lists it.
   *
   * @param index 0 the running boot, -1 the one before, ...
   * @param ended null while it runs
   * @param end reboot, poweroff, power-cut, failed or running
   */
  record ListedBoot(int index, String bootId, Instant started, Instant ended, String end) {}

  /** {@code GET /v1/boots}: the kept boots, oldest first, the running one last. */
  List<ListedBoot> boots() throws IOException {
    return get("/v1/boots", new TypeReference<>() {});
  }

  List<UnitStatus> units() throws IOException {
    return units(null);
  }

  /** The units of boot {@code boot} (null: this boot) as they stood when it began to end. */
  List<UnitStatus> units(String boot) throws IOException {
    return get("/v1/units" + bootParam(boot), new TypeReference<>() {});
  }

  UnitStatus unit(String name) throws IOException {
    return get("/v1/units/" + encode(name), new TypeReference<>() {});
  }

  List<UnitStateChanged> timeline() throws IOException {
    return timeline(null);
  }

  /**
   * The state changes of boot {@code boot} (null: this boot); the timeline's other entries (clock
   * sets: no {@code unit}) are left out.
   */
  List<UnitStateChanged> timeline(String boot) throws IOException {
    List<com.fasterxml.jackson.databind.JsonNode> all = get("/v1/timeline" + bootParam(boot), new TypeReference<>() {});
    List<UnitStateChanged> out = new java.util.ArrayList<>(all.size());
    for (com.fasterxml.jackson.databind.JsonNode n : all) {
      if (n.hasNonNull("unit")) {
        out.add(JsonRecordCodec.mapper().treeToValue(n, UnitStateChanged.class));
      }
    }
    return out;
  }

  /** {@code /health}'s status: UP, DEGRADED or FAILED (answered with 503, which is an answer here). */
  String health() throws IOException {
    HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri("/health")).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200 && r.statusCode() != 503) {
      throw error(r.statusCode(), r.body());
    }
    return JsonRecordCodec.mapper().readTree(r.body()).path("status").asText("FAILED");
  }

  BootSummary boot() throws IOException {
    return boot(null);
  }

  /** The summary of boot {@code boot} (null: this boot); an ended boot's as it stood when it began to end. */
  BootSummary boot(String boot) throws IOException {
    return get("/v1/boot" + bootParam(boot), new TypeReference<>() {});
  }

  /** {@code GET /v1/logs} with these query parameters (null values left out). */
  List<JournalEntry> logs(Map<String, String> query) throws IOException {
    return get("/v1/logs" + query(query), new TypeReference<>() {});
  }

  /**
   * Follows the journal ({@code GET /v1/logs?follow}): hands each line to {@code line} and each
   * notice (lines the server skipped while this reader lagged) to {@code notice}, until the
   * device ends the stream.
   */
  void follow(Map<String, String> query, Consumer<JournalEntry> line, Consumer<String> notice) throws IOException {
    Map<String, String> q = new java.util.LinkedHashMap<>(query);
    q.put("follow", "true");
    HttpRequest req = HttpRequest.newBuilder(uri("/v1/logs" + query(q))).build();
    HttpResponse<InputStream> r = send(req, HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      if (r.statusCode() != 200) {
        throw error(r.statusCode(), in.lines().reduce("", String::concat).getBytes(StandardCharsets.UTF_8));
      }
      String event = "message";
      for (String l = in.readLine(); l != null; l = in.readLine()) {
        if (l.startsWith("event: ")) {
          event = l.substring(7);
        } else if (l.startsWith("data: ")) {
          if (event.equals("message")) {
            line.accept(JsonRecordCodec.mapper().readValue(l.substring(6), JournalEntry.class));
          } else {
            notice.accept(event + " " + l.substring(6));
          }
        } else if (l.isEmpty()) {
          event = "message";
        }
      }
    }
  }

  /** POSTs without a body; answers whatever status came back, waiting at most {@code wait}. */
  Answer post(String path, Duration wait) throws IOException {
    HttpRequest req = HttpRequest.newBuilder(uri(path)).timeout(wait).POST(HttpRequest.BodyPublishers.noBody()).build();
    HttpResponse<byte[]> r = send(req, HttpResponse.BodyHandlers.ofByteArray());
    return new Answer(r.statusCode(), r.body());
  }

  /** POSTs a JSON body; answers whatever status came back, waiting at most {@code wait}. */
  Answer post(String path, String json, Duration wait) throws IOException {
    HttpRequest req = HttpRequest.newBuilder(uri(path)).timeout(wait).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    HttpResponse<byte[]> r = send(req, HttpResponse.BodyHandlers.ofByteArray());
    return new Answer(r.statusCode(), r.body());
  }

  /** The {@code error} text of an error answer (or the body itself). */
  static String errorText(byte[] body) {
    try {
      Object e = JsonRecordCodec.mapper().readTree(body).get("error");
      return e == null ? new String(body, StandardCharsets.UTF_8) : ((com.fasterxml.jackson.databind.JsonNode) e).asText();
    } catch (IOException e) {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private <T> T get(String path, TypeReference<T> type) throws IOException {
    HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw error(r.statusCode(), r.body());
    }
    return JsonRecordCodec.mapper().readValue(r.body(), type);
  }

  private ApiError error(int status, byte[] body) {
    return new ApiError(status, errorText(body));
  }

  private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler) throws IOException {
    try {
      return http.send(req, handler);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (java.net.ConnectException e) {
      throw new IOException("no hostmesh API at " + base + " (is the mesh running? --port or --root selects another)", e);
    }
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  /** {@code ?boot=N}, or nothing for this boot. */
  private static String bootParam(String boot) {
    return boot == null ? "" : "?boot=" + encode(boot);
  }

  private static String query(Map<String, String> q) {
    StringBuilder b = new StringBuilder();
    q.forEach((k, v) -> {
      if (v != null) {
        b.append(b.length() == 0 ? '?' : '&').append(k).append('=').append(encode(v));
      }
    });
    return b.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
