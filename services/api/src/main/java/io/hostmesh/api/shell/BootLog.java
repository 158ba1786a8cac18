package io.hostmesh.api.shell;

import io.hostmesh.mesh.Journal;
import io.hostmesh.mesh.JournalEntry;
import io.hostmesh.mesh.Mesh;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.unit.LogLevel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The boots of a device and their journals, for {@code journalctl -b} and {@code --list-boots}.
 * The one place that knows where past boots come from: the device's own API, {@code GET
 * /v1/boots} (oldest first, {@code {"index": -1, "bootId", "started", "ended", ...}}, index 0 the
 * current boot) and {@code GET /v1/logs?boot=N}. Where those are not served (404: a device
 * without the boot history), the current boot is the only one. The current boot's lines always
 * come from the mesh's own journal.
 *
 * <p>As journald's: past boots are kept only with persistent logging ({@code persistentLogging}
 * in config.json); a volatile journal has the current boot alone.
 */
final class BootLog {
  /** One boot: {@code index} 0 is the current one, -1 the one before. */
  record Boot(int index, String bootId, Instant started, Instant ended) {}

  private final Mesh mesh;
  private final HttpClient http;
  private volatile String api;

  BootLog(Mesh mesh, Vertx vertx) {
    this.mesh = mesh;
    this.http = vertx.createHttpClient();
  }

  /** Where the device's API listens ({@code http://127.0.0.1:48400}), once it does. */
  void api(String base) {
    this.api = base;
  }

  boolean persistent() {
    return mesh.bus().latest(ConfigTopics.PERSISTENT_LOGGING).map(c -> c.enabled()).orElse(false);
  }

  /** Every boot kept, oldest first, the current one last. Never fails. */
  Future<List<Boot>> boots(Instant now) {
    Boot current = new Boot(0, mesh.bootId(), mesh.boot().startedAt(), now);
    if (!persistent() || api == null) {
      return Future.succeededFuture(List.of(current));
    }
    return get("/v1/boots").map(body -> {
      List<Boot> out = new ArrayList<>();
      JsonArray a = new JsonArray(body);
      for (int i = 0; i < a.size(); i++) {
        JsonObject b = a.getJsonObject(i);
        int index = b.getInteger("index", i - a.size() + 1);
        if (index < 0) {
          out.add(new Boot(index, b.getString("bootId"), instant(b.getValue("started")), instant(b.getValue("ended"))));
        }
      }
      out.add(current);
      return out;
    }).otherwise(List.of(current));
  }

  /** The journal of one boot (0: the current one, from the mesh); fails when the device did not keep it. */
  Future<List<JournalEntry>> entries(int index) {
    if (index == 0) {
      return Future.succeededFuture(mesh.journal().query(Journal.Query.ALL));
    }
    if (!persistent() || api == null) {
      return Future.failedFuture("not kept");
    }
    return get("/v1/logs?boot=" + index).map(body -> {
      List<JournalEntry> out = new ArrayList<>();
      JsonArray a = new JsonArray(body);
      for (int i = 0; i < a.size(); i++) {
        JsonObject e = a.getJsonObject(i);
        out.add(new JournalEntry(e.getLong("seq", (long) i + 1), e.getString("bootId", e.getString("boot", "")),
            e.getString("unit", ""), level(e.getString("level")), e.getString("message", ""),
            instant(e.getValue("wallTime")), e.getLong("uptimeMillis", 0L)));
      }
      return out;
    });
  }

  void close() {
    http.close();
  }

  private Future<String> get(String path) {
    return http.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(api + path).setTimeout(10_000))
        .compose(r -> r.send())
        .compose(r -> r.statusCode() == 200 ? r.body().map(b -> b.toString())
            : Future.failedFuture("GET " + path + " answered " + r.statusCode()));
  }

  private static LogLevel level(String s) {
    try {
      return s == null ? LogLevel.INFO : LogLevel.valueOf(s);
    } catch (IllegalArgumentException e) {
      return LogLevel.INFO;
    }
  }

  private static Instant instant(Object v) {
    if (v instanceof String s) {
      try {
        return Instant.parse(s);
      } catch (java.time.format.DateTimeParseException e) {
        return null;
      }
    }
    return v instanceof Number n ? Instant.ofEpochMilli(n.longValue()) : null;
  }
}
