package io.hostmesh.api;

import io.hostmesh.mesh.BootLog;
import io.hostmesh.mesh.KeptBoot;
import io.hostmesh.mesh.Mesh;
import io.hostmesh.schema.hostos.HostOsTopics;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The device's boots, numbered as {@code journalctl --list-boots} numbers them: 0 this boot (the
 * API's mesh), -1 the one before, ...; 1 the oldest kept. A sim device run by the sim lifecycle
 * keeps the last 64 ({@link Mesh#bootLog()}); a device without one knows only this boot.
 *
 * <ul>
 *   <li>{@code GET /v1/boots}: {@code [{"index", "bootId", "started", "ended", "end", "decision"}, ...]},
 *       oldest first, this boot last with {@code "end": "running"} and {@code "ended": null}
 *   <li>{@code GET /v1/timeline?boot=N}: that boot's state changes and clock sets (default this boot)
 *   <li>{@code GET /v1/boot?boot=N} and {@code /v1/units?boot=N}: that boot's summary and units; an
 *       ended boot's as they stood when it began to end (404 for a boot that never reached userspace)
 * </ul>
 *
 * <p>{@code boot} is 0, -N, N, a boot id (32 hex digits) or, for {@code /v1/logs} only,
 * {@code all}. Malformed: 400; a boot not kept: 404 {@code {"error": "no boot -5 (kept: -2..0)"}}.
 */
final class BootRoutes {
  private static final Pattern NUMBER = Pattern.compile("[+-]?\\d{1,18}");
  private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");
  static final String ALL = "all";

  private final Mesh mesh;

  BootRoutes(Mesh mesh) {
    this.mesh = mesh;
  }

  /** A boot with its number; {@code live} for this boot, whose journal and timeline are the mesh's own. */
  record Indexed(int index, KeptBoot boot, boolean live) {}

  /** A {@code boot} value that names no kept boot (404) or is not one at all (400). */
  static final class BadBoot extends Exception {
    final int status;

    BadBoot(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  void mount(Router router) {
    router.get("/v1/boots").handler(rc -> HttpApi.json(rc, 200, indexed().stream().map(BootRoutes::listed).toList()));
    router.get("/v1/timeline").handler(rc -> one(rc, b -> b.live() ? mesh.timelineEntries() : b.boot().timeline()));
    router.get("/v1/boot").handler(rc -> one(rc, b -> b.live() ? mesh.boot() : ended(b).summary()));
    router.get("/v1/units").handler(rc -> one(rc, b -> b.live() ? mesh.units() : ended(b).units()));
  }

  /** An ended boot that had a mesh; one that never reached userspace has no summary and no units (404). */
  private static KeptBoot ended(Indexed b) throws BadBoot {
    if (b.boot().summary() == null) {
      throw new BadBoot(404, "boot " + b.index() + " (" + b.boot().bootId() + ") never reached userspace: "
          + b.boot().reason());
    }
    return b.boot();
  }

  private interface Answer {
    Object of(Indexed boot) throws BadBoot;
  }

  /** A route about one boot: {@code boot} chooses it (default this one); {@code all} is refused. */
  private void one(RoutingContext rc, Answer answer) {
    try {
      String value = rc.queryParams().get("boot");
      if (ALL.equals(value)) {
        throw new BadBoot(400, "boot=all is for /v1/logs: this is one boot's (GET /v1/boots lists them)");
      }
      HttpApi.json(rc, 200, answer.of(select(value).get(0)));
    } catch (BadBoot e) {
      HttpApi.json(rc, e.status, Map.of("error", e.getMessage()));
    }
  }

  private static Map<String, Object> listed(Indexed b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("index", b.index());
    m.put("bootId", b.boot().bootId());
    m.put("started", b.boot().started());
    m.put("ended", b.boot().ended());
    m.put("end", b.boot().end());
    m.put("decision", b.boot().decision());
    return m;
  }

  /**
   * The kept boots up to this one, oldest first, numbered from this boot (0) back. This boot is
   * the mesh's own: a log that does not list it (none kept) gets it added.
   */
  List<Indexed> indexed() {
    List<KeptBoot> kept = mesh.bootLog().map(BootLog::boots).orElse(List.of());
    int current = -1;
    for (int i = 0; i < kept.size(); i++) {
      if (kept.get(i).bootId().equals(mesh.bootId())) {
        current = i;
      }
    }
    List<KeptBoot> upTo = new ArrayList<>(current < 0 ? kept : kept.subList(0, current));
    upTo.add(current < 0 ? thisBoot() : kept.get(current));
    List<Indexed> out = new ArrayList<>(upTo.size());
    for (int i = 0; i < upTo.size(); i++) {
      out.add(new Indexed(i - (upTo.size() - 1), upTo.get(i), i == upTo.size() - 1));
    }
    return out;
  }

  /** This boot when nobody keeps boots (the device profile): its mesh and, if latched, its bootloader decision. */
  private KeptBoot thisBoot() {
    return new KeptBoot(mesh.bootId(), mesh.boot().startedAt(), null, KeptBoot.RUNNING, "",
        mesh.bus().latest(HostOsTopics.BOOT).orElse(null), null, List.of(), List.of(), List.of());
  }

  /**
   * The boots {@code value} names, oldest first: null this boot; {@code all} every kept one; 0 or
   * -N counted back from this boot; N from the oldest kept (1); or a boot id.
   */
  List<Indexed> select(String value) throws BadBoot {
    List<Indexed> all = indexed();
    if (value == null) {
      return List.of(all.get(all.size() - 1));
    }
    if (value.equals(ALL)) {
      return all;
    }
    String v = value.strip();
    String kept = "(kept: " + all.get(0).index() + "..0)";
    if (NUMBER.matcher(v).matches()) {
      long n = Long.parseLong(v.startsWith("+") ? v.substring(1) : v);
      // journalctl: 0 and below count back from this boot, above 0 count up from the oldest
      long i = n <= 0 ? all.size() - 1 + n : n - 1;
      if (i < 0 || i >= all.size()) {
        throw new BadBoot(404, "no boot " + v + " " + kept);
      }
      return List.of(all.get((int) i));
    }
    String id = v.replace("-", "").toLowerCase(java.util.Locale.ROOT);
    if (!ID.matcher(id).matches()) {
      throw new BadBoot(400, "boot must be 0 (this boot), -1, -2, ... (the ones before), a boot id (32 hex digits)"
          + " or all, not '" + printable(value) + "'");
    }
    return all.stream().filter(b -> b.boot().bootId().equals(id)).findFirst().map(List::of)
        .orElseThrow(() -> new BadBoot(404, "no boot " + id + " " + kept));
  }

  /** A value echoed in an error: at most 64 characters, no control characters. */
  private static String printable(String s) {
    String t = s.replaceAll("\\p{Cntrl}", "?");
    return t.length() > 64 ? t.substring(0, 64) + "…" : t;
  }
}
