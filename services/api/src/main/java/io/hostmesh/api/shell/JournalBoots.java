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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The boots of a device and their journals, for {@code journalctl -b} and {@code --list-boots}.
 * The one place that knows where past boots come from: the device's own API, {@code GET
 * /v1/boots} (oldest first, {@code {"index": -1, "bootId", "started", "ended", ...}}, index 0 this
 * boot) and {@code GET /v1/logs?boot=N|ID|all} (lines with their {@code bootId}); asking the API
 * keeps the numbering (0 this boot, -1 the one before, 1 the oldest kept) and the 404 for a boot
 * not kept the API's own. This boot's lines alone come straight from the mesh's journal.
 *
 * <p>As journald's: earlier boots are shown only with persistent logging ({@code persistentLogging}
 * in config.json, read now); a volatile journal has this boot alone, whatever the device kept.
 */
final class JournalBoots {
  /** One boot: {@code index} 0 is this one, -1 the one before. */
  record Boot(int index, String bootId, Instant started, Instant ended) {}

  /** A boot {@code journalctl -b} names but the journal does not have (journalctl's own words). */
  static final class NotKept extends RuntimeException {
    NotKept(String descriptor) {
      super("Data from the specified boot (" + descriptor + ") is not available: No such boot ID in journal");
    }
  }

  private static final Pattern NUMBER = Pattern.compile("[+-]?\\d{1,9}");
  private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

  private final Mesh mesh;
  private final HttpClient http;
  private volatile String api;

  JournalBoots(Mesh mesh, Vertx vertx) {
    this.mesh = mesh;
    this.http = vertx.createHttpClient();
  }

  /** Where the device's API listens ({@code http://127.0.0.1:48400}), once it does. */
  void api(String base) {
    this.api = base;
  }

  /** Earlier boots are shown: persistent logging is on and the API is there to ask. */
  private boolean kept() {
    return api != null && mesh.bus().latest(ConfigTopics.PERSISTENT_LOGGING).map(c -> c.enabled()).orElse(false);
  }

  /**
   * A {@code -b} argument as journalctl takes it: empty (this boot), 0, -N, +N/N (1 the oldest)
   * or a boot id (32 hex digits, dashes and case ignored); the form sent as {@code ?boot=}.
   *
   * @throws IllegalArgumentException with journalctl's message for anything else
   */
  static String descriptor(String value) {
    String v = value == null ? "" : value.strip();
    if (v.isEmpty()) {
      return "0";
    }
    if (NUMBER.matcher(v).matches()) {
      return Integer.toString(Integer.parseInt(v.startsWith("+") ? v.substring(1) : v));
    }
    String id = v.replace("-", "").toLowerCase(Locale.ROOT);
    if (ID.matcher(id).matches()) {
      return id;
    }
    throw new IllegalArgumentException("Failed to parse boot descriptor '" + value + "'");
  }

  /** Every boot shown, oldest first, this one last (its end {@code now}). Never fails. */
  Future<List<Boot>> boots(Instant now) {
    Boot current = new Boot(0, mesh.bootId(), mesh.boot().startedAt(), now);
    if (!kept()) {
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

  /**
   * The lines of the boot {@code descriptor} ({@link #descriptor}) names, oldest first; fails
   * with {@link NotKept} when the journal does not have it, or with the API's failure.
   */
  Future<List<JournalEntry>> entries(String descriptor) {
    if (descriptor.equals("0") || descriptor.equals(mesh.bootId())) {
      return Future.succeededFuture(mesh.journal().query(Journal.Query.ALL));
    }
    if (!kept()) {
      // a volatile journal has this boot alone: it is also the oldest (1)
      return descriptor.equals("1") ? entries("0") : Future.failedFuture(new NotKept(descriptor));
    }
    return logs(descriptor);
  }

  /** Every boot's lines shown, oldest first: {@code ?boot=all}, or this boot's with a volatile journal. Never fails. */
  Future<List<JournalEntry>> all() {
    List<JournalEntry> current = mesh.journal().query(Journal.Query.ALL);
    if (!kept()) {
      return Future.succeededFuture(current);
    }
    return logs("all").otherwise(current);
  }

  void close() {
    http.close();
  }

  private Future<List<JournalEntry>> logs(String boot) {
    return get("/v1/logs?boot=" + URLEncoder.encode(boot, StandardCharsets.UTF_8)).map(body -> {
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

  private Future<String> get(String path) {
    return http.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(api + path).setTimeout(10_000))
        .compose(r -> r.send())
        .compose(r -> r.body().compose(b -> switch (r.statusCode()) {
          case 200 -> Future.succeededFuture(b.toString());
          case 404 -> Future.failedFuture(new NotKept(path.substring(path.indexOf('=') + 1)));
          default -> Future.failedFuture("GET " + path + " answered " + r.statusCode() + ": " + b);
        }));
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
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    return v instanceof Number n ? Instant.ofEpochMilli(n.longValue()) : null;
  }
}
