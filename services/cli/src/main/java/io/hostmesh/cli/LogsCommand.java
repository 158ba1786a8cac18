package io.hostmesh.cli;

import io.hostmesh.mesh.JournalEntry;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hostmesh logs [UNIT] [-f] [-b N] [--list-boots]}: the device's journal, like
 * {@code journalctl [-u UNIT] [-f] [-b N] [--list-boots]}.
 */
@Command(name = "logs", mixinStandardHelpOptions = true, description = {
    "Show the journal: every unit's log lines of this boot (or of boot N), or one unit's; -f follows new lines.",
    "Exit: 0; 1 no API or no such unit; 2 bad --root, --since or -n; 64 a boot not kept or not a boot, a bad combination."})
final class LogsCommand extends ApiCommand {
  /** Lines shown before following when -n is not given, as journalctl -f. */
  static final int FOLLOW_BACKLOG = 10;

  @Parameters(arity = "0..1", paramLabel = "UNIT", description = "Only this unit's lines.")
  String unit;

  @Option(names = {"-f", "--follow"}, description = "Print new lines as they are logged, until the device stops or Ctrl-C.")
  boolean follow;

  @Option(names = {"-n", "--lines"}, paramLabel = "N", description = "Only the last N lines (with -f default 10).")
  Integer lines;

  @Option(names = "--since", paramLabel = "TIME",
      description = "Only lines logged since TIME (device time): 2030-01-01T00:00:00Z, or -30s, -5m, -2h, -1d.")
  String since;

  @Option(names = {"-b", "--boot"}, arity = "0..1", fallbackValue = "0", paramLabel = "N",
      description = "The lines of boot N: 0 this boot (the default; -b alone), -1 the one before, ..., 1 the oldest kept,"
          + " a boot id, or all (every kept boot). --list-boots shows them.")
  String boot;

  @Option(names = "--list-boots", description = "List the boots the device keeps, as journalctl --list-boots: IDX, BOOT ID,"
      + " FIRST ENTRY, LAST ENTRY (UTC), oldest first.")
  boolean listBoots;

  @Option(names = "--json", description = "One JSON object per line (seq, boot, bootId, unit, level, message, wallTime,"
      + " uptimeMillis; with --list-boots index, bootId, started, ended, end).")
  boolean json;

  private String lastBoot;

  @Override
  int run(ApiClient client) throws IOException {
    if (lines != null && lines < 1) {
      err().println("hostmesh logs: --lines must be 1 or more, not " + lines);
      return 2;
    }
    if (listBoots && (unit != null || follow || lines != null || since != null || boot != null)) {
      return usage("--list-boots lists the boots: it takes no UNIT, -f, -n, --since or -b");
    }
    String problem = boot == null ? null : BootChoice.problem("--boot", boot, true);
    if (problem != null) {
      return usage(problem);
    }
    try {
      if (listBoots) {
        return listBoots(client);
      }
      Map<String, String> q = new LinkedHashMap<>();
      q.put("boot", boot);
      q.put("unit", unit);
      q.put("since", since);
      Integer n = lines != null ? lines : follow ? Integer.valueOf(FOLLOW_BACKLOG) : null;
      q.put("lines", n == null ? null : n.toString());
      if (follow) {
        client.follow(q, this::print, notice -> err().println("-- " + notice + " (this reader fell behind) --"));
      } else {
        List<JournalEntry> found = client.logs(q);
        found.forEach(this::print);
        if (found.isEmpty() && !json) {
          out().println("-- No entries --");
        }
      }
    } catch (ApiClient.ApiError e) {
      if (BootChoice.refused(e)) {
        return usage(e.getMessage());
      }
      err().println("hostmesh logs: " + e.getMessage());
      return e.status == 400 ? 2 : 1;
    }
    return 0;
  }

  private int listBoots(ApiClient client) throws IOException {
    List<ApiClient.ListedBoot> boots = client.boots();
    if (json) {
      boots.forEach(b -> out().println(StatusCommand.toJson(b)));
      return 0;
    }
    // the running boot has no end yet: its last entry is its newest log line, as journalctl shows it
    List<JournalEntry> newest = client.logs(Map.of("lines", "1"));
    Instant last = newest.isEmpty() ? null : newest.get(0).wallTime();
    out().print(BootChoice.table(boots, last));
    return 0;
  }

  private int usage(String problem) {
    err().println("hostmesh logs: " + problem);
    return ExitCodes.USAGE;
  }

  private void print(JournalEntry e) {
    if (!json && lastBoot != null && !lastBoot.equals(e.boot())) {
      out().println("-- Boot " + e.boot() + " --"); // as journalctl marks where the next boot's lines begin
    }
    lastBoot = e.boot();
    out().println(json ? StatusCommand.toJson(e) : UnitView.line(e));
    out().flush();
  }
}
