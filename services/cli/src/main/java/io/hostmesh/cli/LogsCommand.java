package io.hostmesh.cli;

import io.hostmesh.mesh.JournalEntry;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hostmesh logs [UNIT] [-f]}: the device's journal, like {@code journalctl [-u UNIT] [-f]}. */
@Command(name = "logs", mixinStandardHelpOptions = true, description = {
    "Show the journal: every unit's log lines of this boot, or one unit's; -f follows new lines.",
    "Exit: 0; 1 no API or no such unit; 2 bad option."})
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

  @Option(names = "--json", description = "One JSON object per line (seq, boot, unit, level, message, wallTime, uptimeMillis).")
  boolean json;

  @Override
  int run(ApiClient client) throws IOException {
    if (lines != null && lines < 1) {
      err().println("hostmesh logs: --lines must be 1 or more, not " + lines);
      return 2;
    }
    Map<String, String> q = new LinkedHashMap<>();
    q.put("unit", unit);
    q.put("since", since);
    Integer n = lines != null ? lines : follow ? Integer.valueOf(FOLLOW_BACKLOG) : null;
    q.put("lines", n == null ? null : n.toString());
    try {
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
      err().println("hostmesh logs: " + e.getMessage());
      return e.status == 400 ? 2 : 1;
    }
    return 0;
  }

  private void print(JournalEntry e) {
    out().println(json ? StatusCommand.toJson(e) : UnitView.line(e));
    out().flush();
  }
}
