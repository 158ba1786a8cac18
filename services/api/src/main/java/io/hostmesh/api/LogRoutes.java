package io.hostmesh.api;

import io.hostmesh.bus.JsonRecordCodec;
import io.hostmesh.mesh.Journal;
import io.hostmesh.mesh.JournalEntry;
import io.hostmesh.mesh.Mesh;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/logs?boot=&unit=&since=&lines=&after=&follow=}: the device's journal, like
 * {@code journalctl [-b N] [-u UNIT] [--since] [-n] [-f]}.
 *
 * <ul>
 *   <li>{@code boot}: whose lines ({@link BootRoutes}): this boot's by default; 0, -1, ..., a boot
 *       id, or {@code all} (every kept boot's, oldest first); 404 for a boot not kept. An ended
 *       boot's lines cannot be followed, and {@code after} (a place in one boot's journal) needs
 *       one boot
 *   <li>{@code unit}: one unit's lines (404 for a unit the mesh does not have)
 *   <li>{@code since}: lines logged at or after a device time: an ISO-8601 instant
 *       ({@code 2030-01-01T00:00:00Z}) or a time before now ({@code -30s}, {@code -5m}, {@code -2h}, {@code -1d})
 *   <li>{@code lines}: only the last N matching lines
 *   <li>{@code after}: only lines after this sequence number (a cursor; with {@code follow} the
 *       {@code Last-Event-ID} header does the same)
 *   <li>{@code follow}: the matching lines, then every new one as it is logged, as server-sent
 *       events ({@code text/event-stream}: {@code id: <seq>}, {@code data: <entry JSON>}); the
 *       stream ends when the device stops
 * </ul>
 *
 * <p>Without {@code follow} the answer is a JSON array of {@link JournalEntry}. Bad parameters are
 * answered 400 naming the parameter. A follower that does not read is not allowed to fill the
 * device's memory: while its connection's write queue is full its lines are skipped and counted,
 * and a {@code dropped} event says how many once it reads again.
 */
final class LogRoutes {
  private static final Pattern RELATIVE = Pattern.compile("-(\\d{1,9})(s|m|min|h|d)");

  private final Mesh mesh;
  private final BootRoutes boots;
  /** Open follow streams, ended when the API stops so their readers see the end. */
  private final Map<HttpServerResponse, Journal.Follow> following = new ConcurrentHashMap<>();

  LogRoutes(Mesh mesh, BootRoutes boots) {
    this.mesh = mesh;
    this.boots = boots;
  }

  void mount(Router router) {
    router.get("/v1/logs").handler(this::logs);
  }

  /** Ends every follow stream (the API is stopping). */
  void endAll() {
    following.forEach((r, f) -> {
      f.cancel();
      if (!r.ended()) {
        r.end();
      }
    });
    following.clear();
  }

  private void logs(RoutingContext rc) {
    Journal.Query q = Journal.Query.ALL;
    boolean follow;
    List<BootRoutes.Indexed> selected;
    try {
      selected = boots.select(rc.queryParams().get("boot"));
    } catch (BootRoutes.BadBoot e) {
      HttpApi.json(rc, e.status, Map.of("error", e.getMessage()));
      return;
    }
    boolean live = selected.size() == 1 && selected.get(0).live();
    try {
      String unit = rc.queryParams().get("unit");
      if (unit != null) {
        if (mesh.unit(unit).isEmpty() && !loggedIn(selected, unit)) {
          HttpApi.json(rc, 404, Map.of("error", "no unit named " + unit));
          return;
        }
        q = q.unit(unit);
      }
      String since = rc.queryParams().get("since");
      if (since != null) {
        q = q.since(since(since, mesh.platform().clock().now()));
      }
      String lines = rc.queryParams().get("lines");
      if (lines != null) {
        q = q.lines(positive("lines", lines, mesh.journal().capacity()));
      }
      follow = flag("follow", rc.queryParams().get("follow"));
      String after = rc.queryParams().get("after");
      if (after == null && follow) {
        after = rc.request().getHeader("Last-Event-ID");
      }
      if (after != null) {
        if (selected.size() > 1) {
          throw new IllegalArgumentException("after is a place in one boot's journal: give boot too, not all");
        }
        q = q.after(positive("after", after, Long.MAX_VALUE));
      }
      if (follow && !live) {
        throw new IllegalArgumentException("follow: only this boot's lines can be followed (leave out boot, or boot=0)");
      }
    } catch (IllegalArgumentException e) {
      HttpApi.json(rc, 400, Map.of("error", e.getMessage()));
      return;
    }
    if (!follow) {
      HttpApi.json(rc, 200, live ? mesh.journal().query(q) : lines(selected, q));
      return;
    }
    follow(rc, q);
  }

  /** The matching lines of these boots, oldest first; {@code lines} counts over all of them. */
  private List<JournalEntry> lines(List<BootRoutes.Indexed> selected, Journal.Query q) {
    Journal.Query each = q.lines(0);
    List<JournalEntry> out = new ArrayList<>();
    for (BootRoutes.Indexed b : selected) {
      out.addAll(b.live() ? mesh.journal().query(each) : each.select(b.boot().journal()));
    }
    return q.lines() > 0 && out.size() > q.lines() ? out.subList(out.size() - q.lines(), out.size()) : out;
  }

  /** True when an ended boot among these logged lines of {@code unit} (a unit this boot may not have). */
  private static boolean loggedIn(List<BootRoutes.Indexed> selected, String unit) {
    return selected.stream().filter(b -> !b.live())
        .anyMatch(b -> b.boot().journal().stream().anyMatch(e -> unit.equals(e.unit())));
  }

  private void follow(RoutingContext rc, Journal.Query q) {
    HttpServerResponse res = rc.response();
    res.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8").putHeader("cache-control", "no-cache");
    Context api = rc.vertx().getOrCreateContext();
    long[] dropped = {0};
    // lines come from the units' threads; each is written on the API's context, in order
    Journal.Follow f = mesh.journal().follow(q, e -> api.runOnContext(v -> send(res, e, dropped)));
    following.put(res, f);
    // the connection may outlive the stream (keep-alive): the follow ends with whichever ends first
    res.endHandler(v -> {
      f.cancel();
      following.remove(res);
    });
    res.closeHandler(v -> {
      f.cancel();
      following.remove(res);
    });
    res.write(": journal of boot " + mesh.bootId() + "\n\n");
    f.backlog().forEach(e -> send(res, e, dropped));
  }

  private static void send(HttpServerResponse res, JournalEntry e, long[] dropped) {
    if (res.ended() || res.closed()) {
      return;
    }
    if (res.writeQueueFull()) {
      dropped[0]++;
      return;
    }
    if (dropped[0] > 0) {
      res.write("event: dropped\ndata: {\"dropped\":" + dropped[0] + "}\n\n");
      dropped[0] = 0;
    }
    res.write(Buffer.buffer("id: " + e.seq() + "\ndata: ").appendBytes(JsonRecordCodec.toJson(e)).appendString("\n\n"));
  }

  /** An ISO-8601 instant, or a time before {@code now} such as {@code -5m}. */
  static Instant since(String value, Instant now) {
    Matcher m = RELATIVE.matcher(value);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d = switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m", "min" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
      return now.minus(d);
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("since must be an ISO-8601 instant (2030-01-01T00:00:00Z) or a time before now"
          + " (-30s, -5m, -2h, -1d), not '" + value + "'");
    }
  }

  private static int positive(String name, String value, int max) {
    return (int) positive(name, value, (long) max);
  }

  private static long positive(String name, String value, long max) {
    try {
      long n = Long.parseLong(value);
      if (n >= (name.equals("after") ? 0 : 1) && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " must be a whole number from " + (name.equals("after") ? 0 : 1)
        + " to " + max + ", not '" + value + "'");
  }

  private static boolean flag(String name, String value) {
    if (value == null || value.equals("false") || value.equals("0")) {
      return false;
    }
    if (value.isEmpty() || value.equals("true") || value.equals("1")) {
      return true;
    }
    throw new IllegalArgumentException(name + " must be true or false, not '" + value + "'");
  }
}
