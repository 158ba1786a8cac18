package io.hostmesh.api.shell;

import io.hostmesh.mesh.JournalEntry;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code journalctl} over SSH: {@code [-u UNIT]... [-t ID] [-b [N]] [--list-boots] [-f] [-n N]
 * [-p PRIORITY] [--since T] [--until T] [-o short|short-iso|cat] [-r] [--rotate]
 * [--vacuum-time=T] [--no-pager] [-q] [-x] [-e] [--no-hostname]} over the device's journal,
 * lines as journald's short output prints them ({@code Jan 04 10:00:00 HOST chronyd[PID]: ...}).
 * Without {@code -b}, every boot shown ({@link JournalBoots}: earlier ones with persistent
 * logging); {@code -b [N|ID]} one of them, numbered as journalctl numbers them; {@code -f} is
 * streamed by the route ({@link #prepare} hands it the filter).
 *
 * <p>{@code --rotate} then {@code --vacuum-time=T} (the suite's way to start from a clean journal)
 * hide the lines logged before the rotation and older than T, from this shell's view only: the
 * device's journal ({@code GET /v1/logs}, {@code hostmesh logs}) keeps them.
 */
final class Journalctl {
  private static final Pattern SPAN = Pattern.compile("(\\d+)\\s*(us|ms|s|sec|m|min|h|d|w|weeks?|months?|y)?");
  private static final List<String> PRIORITIES = List.of("emerg", "alert", "crit", "err", "warning", "notice", "info", "debug");

  /**
   * What {@link #prepare} decided: all done, or a follow to stream after {@code initial}: the
   * current boot's lines after {@code snapshot} that pass {@code filter}, skipping those up to
   * {@code lastShown} (already in {@code initial}).
   */
  record Prepared(ShellOutput done, String initial, Predicate<JournalEntry> filter, Function<JournalEntry, String> format,
      long snapshot, long lastShown) {}

  private record Options(List<UnitNames.Entry> units, List<String> identifiers, boolean follow, int lines,
      String boot, boolean listBoots, boolean rotate, Duration vacuum, boolean vacuumOther, String output,
      boolean noHostname, boolean reverse, Instant since, Instant until, int priority, boolean quiet) {}

  private final ShellDevice device;
  private final JournalBoots boots;
  /** --rotate: the current boot's lines up to here are archived. */
  private volatile long archivedThrough;
  /** --vacuum-time: archived lines before this are gone from the view. */
  private volatile Instant vacuumedBefore;

  Journalctl(ShellDevice device, JournalBoots boots) {
    this.device = device;
    this.boots = boots;
  }

  /** Runs the command, or says what to follow. Never fails. */
  Future<Prepared> prepare(List<String> args) {
    Options o;
    try {
      o = parse(args, device.now());
    } catch (IllegalArgumentException e) {
      return done(ShellOutput.error(1, e.getMessage()));
    }
    if (o.rotate || o.vacuum != null || o.vacuumOther) {
      return done(maintain(o));
    }
    if (o.listBoots) {
      return boots.boots(device.now()).compose(list -> done(ShellOutput.out(listBoots(list))));
    }
    long snapshot = lastSeq();
    return device.hostname().compose(host -> select(o).transform(ar -> {
      if (ar.failed()) {
        return done(ShellOutput.error(1, ar.cause() instanceof JournalBoots.NotKept
            ? "Data from the specified boot (" + o.boot + ") is not available: No such boot ID in journal"
            : "journalctl: the device's kept boots did not answer: " + ar.cause().getMessage()));
      }
      List<JournalEntry> entries = ar.result();
      Function<JournalEntry, String> format = e -> format(e, o, host);
      int n = o.lines >= 0 ? o.lines : o.follow ? 10 : -1;
      List<JournalEntry> shown = n >= 0 && entries.size() > n ? entries.subList(entries.size() - n, entries.size()) : entries;
      StringBuilder text = new StringBuilder();
      String boot = null;
      List<JournalEntry> ordered = new ArrayList<>(shown);
      if (o.reverse) {
        java.util.Collections.reverse(ordered);
      }
      for (JournalEntry e : ordered) {
        if (boot != null && !boot.equals(e.boot()) && !o.output.equals("cat")) {
          text.append("-- Boot ").append(e.boot()).append(" --\n");
        }
        boot = e.boot();
        text.append(format.apply(e)).append('\n');
      }
      if (ordered.isEmpty() && !o.quiet && !o.follow) {
        text.append("-- No entries --\n");
      }
      if (!o.follow) {
        return done(ShellOutput.out(text.toString()));
      }
      long lastShown = shown.stream().filter(e -> e.boot().equals(device.mesh.bootId())).mapToLong(JournalEntry::seq)
          .max().orElse(snapshot);
      return Future.succeededFuture(new Prepared(null, text.toString(), e -> matches(e, o), format, snapshot, lastShown));
    }));
  }

  private static Future<Prepared> done(ShellOutput out) {
    return Future.succeededFuture(new Prepared(out, null, null, null, 0, 0));
  }

  /** The chosen boot's lines (or every kept boot's), filtered, oldest first. */
  private Future<List<JournalEntry>> select(Options o) {
    Future<List<JournalEntry>> all = o.boot != null ? boots.entries(JournalBoots.descriptor(o.boot)) : boots.all();
    return all.map(list -> list.stream().filter(e -> matches(e, o)).toList());
  }

  private boolean matches(JournalEntry e, Options o) {
    Instant cut = vacuumedBefore;
    boolean archived = !e.boot().equals(device.mesh.bootId()) || e.seq() <= archivedThrough;
    if (cut != null && archived && e.wallTime() != null && e.wallTime().isBefore(cut)) {
      return false;
    }
    if (!o.units.isEmpty() && o.units.stream().noneMatch(u -> u.unit().equals(e.unit()) && u.messages().test(e.message()))) {
      return false;
    }
    if (!o.identifiers.isEmpty() && !o.identifiers.contains(UnitNames.primary(e.unit()).identifier())) {
      return false;
    }
    if (e.level().priority() > o.priority) {
      return false;
    }
    return (o.since == null || e.wallTime() != null && !e.wallTime().isBefore(o.since))
        && (o.until == null || e.wallTime() != null && !e.wallTime().isAfter(o.until));
  }

  private String format(JournalEntry e, Options o, String host) {
    Instant t = e.wallTime() == null ? Instant.EPOCH : e.wallTime();
    return switch (o.output) {
      case "cat" -> e.message();
      case "short-iso" -> ShellFormat.JOURNAL_ISO.format(t) + rest(e, o, host);
      default -> ShellFormat.JOURNAL.format(t) + rest(e, o, host);
    };
  }

  private static String rest(JournalEntry e, Options o, String host) {
    return (o.noHostname ? "" : " " + host) + " " + UnitNames.primary(e.unit()).identifier() + "[" + ShellDevice.PID + "]: "
        + e.message();
  }

  /** The current boot's newest line. */
  private long lastSeq() {
    return device.mesh.journal().query(io.hostmesh.mesh.Journal.Query.ALL.lines(1)).stream()
        .mapToLong(JournalEntry::seq).max().orElse(0);
  }

  private ShellOutput maintain(Options o) {
    if (o.rotate) {
      archivedThrough = Math.max(archivedThrough, lastSeq());
    }
    if (o.vacuum != null) {
      // only archived lines go (past boots', and this boot's up to the last --rotate), those older than the time given
      vacuumedBefore = device.now().minus(o.vacuum);
    }
    return o.vacuum != null || o.vacuumOther
        ? new ShellOutput("", "Vacuuming done, freed 0B of archived journals from /var/log/journal.\n", 0) : ShellOutput.OK;
  }

  private static String listBoots(List<JournalBoots.Boot> list) {
    StringBuilder b = new StringBuilder();
    for (JournalBoots.Boot boot : list) {
      b.append(String.format("%3d %s %s—%s%n", boot.index(), boot.bootId(),
          boot.started() == null ? "n/a" : ShellFormat.timestamp(boot.started()),
          boot.ended() == null ? "n/a" : ShellFormat.timestamp(boot.ended())));
    }
    return b.toString();
  }

  private Options parse(List<String> args, Instant now) {
    List<UnitNames.Entry> units = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    boolean follow = false;
    boolean listBoots = false;
    boolean rotate = false;
    boolean vacuumOther = false;
    boolean noHostname = false;
    boolean reverse = false;
    boolean quiet = false;
    Duration vacuum = null;
    String boot = null;
    int lines = -1;
    int priority = 7;
    String output = "short";
    Instant since = null;
    Instant until = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      } else if (a.matches("-[unbopt].+")) {
        name = a.substring(0, 2);
        value = a.substring(2);
      }
      String next = i + 1 < args.size() ? args.get(i + 1) : null;
      switch (name) {
        case "-u", "--unit", "-t", "--identifier", "-o", "--output", "-S", "--since", "-U", "--until", "-p", "--priority" -> {
          if (value == null) {
            if (next == null) {
              throw new IllegalArgumentException("journalctl: option '" + name + "' requires an argument");
            }
            value = next;
            i++;
          }
          switch (name) {
            case "-u", "--unit" -> units.add(unit(value));
            case "-t", "--identifier" -> ids.add(value);
            case "-o", "--output" -> {
              if (!List.of("short", "short-iso", "cat", "short-precise", "short-full").contains(value)) {
                throw new IllegalArgumentException("Unknown output format '" + value + "'.");
              }
              output = value.startsWith("short-") && !value.equals("short-iso") ? "short" : value;
            }
            case "-S", "--since" -> since = time(value, now, "--since");
            case "-U", "--until" -> until = time(value, now, "--until");
            default -> priority = priority(value);
          }
        }
        case "-n", "--lines" -> {
          if (value == null && next != null && next.matches("\\+?\\d+")) {
            value = next;
            i++;
          }
          lines = value == null ? 10 : parseInt(value.replace("+", ""), "lines");
        }
        case "-b", "--boot" -> {
          // the argument is optional: the next word is taken when it looks like a boot (a number or an id)
          if (value == null && next != null && next.matches("[+-]?\\d+|[0-9a-fA-F-]{32,36}")) {
            value = next;
            i++;
          }
          boot = value == null || value.isEmpty() ? "0" : value;
          JournalBoots.descriptor(boot); // refused here, with journalctl's message, when it names no boot at all
        }
        case "--vacuum-time" -> vacuum = span(value);
        case "--vacuum-size", "--vacuum-files" -> vacuumOther = true;
        case "-f", "--follow" -> follow = true;
        case "--list-boots" -> listBoots = true;
        case "--rotate" -> rotate = true;
        case "-r", "--reverse" -> reverse = true;
        case "-q", "--quiet" -> quiet = true;
        case "--no-hostname" -> noHostname = true;
        case "-e", "--pager-end" -> lines = lines < 0 ? 1000 : lines;
        case "--no-pager", "-a", "--all", "-x", "--catalog", "-l", "--full", "-m", "--merge", "--utc", "--no-tail", "--system" -> { }
        default -> {
          if (a.startsWith("_SYSTEMD_UNIT=") || a.startsWith("UNIT=")) {
            units.add(unit(a.substring(a.indexOf('=') + 1)));
          } else if (a.startsWith("SYSLOG_IDENTIFIER=")) {
            ids.add(a.substring(a.indexOf('=') + 1));
          } else if (a.startsWith("-")) {
            throw new IllegalArgumentException("journalctl: unrecognized option '" + a + "'");
          } else {
            throw new IllegalArgumentException("journalctl: matches other than _SYSTEMD_UNIT= and SYSLOG_IDENTIFIER= are not kept by a sim device's journal: " + a);
          }
        }
      }
    }
    return new Options(units, ids, follow, lines, boot, listBoots, rotate, vacuum, vacuumOther, output, noHostname,
        reverse, since, until, priority, quiet);
  }

  /** A unit the device does not have matches nothing, as journalctl shows no entries for it. */
  private UnitNames.Entry unit(String name) {
    return device.find(name).orElse(new UnitNames.Entry(UnitNames.canonical(name), "\0none", UnitNames.Kind.UNIT, false, m -> false));
  }

  private static Instant time(String value, Instant now, String option) {
    return DateParser.parse(value, now)
        .orElseThrow(() -> new IllegalArgumentException("Failed to parse timestamp: " + value));
  }

  private static int priority(String value) {
    String top = value.contains("..") ? value.substring(value.indexOf("..") + 2) : value;
    int i = PRIORITIES.indexOf(top);
    if (i >= 0) {
      return i;
    }
    if (top.matches("[0-7]")) {
      return Integer.parseInt(top);
    }
    throw new IllegalArgumentException("Failed to parse priority value: " + value);
  }

  private static Duration span(String value) {
    Matcher m = value == null ? null : SPAN.matcher(value.strip());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("Failed to parse vacuum time: " + value);
    }
    long n = Long.parseLong(m.group(1));
    String u = m.group(2) == null ? "s" : m.group(2);
    return switch (u) {
      case "us" -> Duration.ofNanos(n * 1000);
      case "ms" -> Duration.ofMillis(n);
      case "s", "sec" -> Duration.ofSeconds(n);
      case "m", "min" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      case "w", "week", "weeks" -> Duration.ofDays(7 * n);
      case "month", "months" -> Duration.ofDays(30 * n);
      default -> Duration.ofDays(365 * n);
    };
  }

  private static int parseInt(String v, String what) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Failed to parse " + what + " '" + v + "'");
    }
  }
}
