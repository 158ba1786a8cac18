package io.hostmesh.deploy.journal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * java.util.logging for a service whose standard error is the journal
 * ({@code -Djava.util.logging.config.class=io.hostmesh.deploy.journal.JournalLogging} in
 * hostmesh.service). Libraries (Netty, Vert.x) log through JUL; the JDK's console format puts a
 * record on two lines with no priority, so journald files a Netty {@code WARNING} at info. Here
 * each line of a record is {@code <N>[java][LEVEL] logger: message}, N being the sd-daemon(3)
 * level prefix journald reads as the priority (SEVERE 3, WARNING 4, INFO 6, finer 7), as the
 * units' own lines carry theirs.
 *
 * <p>Without {@code $JOURNAL_STREAM} (not under systemd) the JDK's own configuration is read
 * unchanged. Threading: as any JUL handler, records may arrive from any thread.
 */
public final class JournalLogging {
  /** Called by the LogManager when named by {@code java.util.logging.config.class}. */
  public JournalLogging() throws IOException {
    LogManager manager = LogManager.getLogManager();
    if (System.getenv("JOURNAL_STREAM") == null) {
      Path defaults = Path.of(System.getProperty("java.home"), "conf", "logging.properties");
      if (Files.isReadable(defaults)) {
        try (InputStream in = Files.newInputStream(defaults)) {
          manager.readConfiguration(in);
        }
      }
      return;
    }
    manager.reset();
    Handler handler = new ConsoleHandler(); // System.err, level INFO
    handler.setFormatter(new JournalFormatter());
    Logger root = manager.getLogger("");
    root.setLevel(Level.INFO);
    root.addHandler(handler);
  }

  /** One journal line per text line, each with the record's priority prefix. */
  static final class JournalFormatter extends Formatter {
    @Override
    public String format(LogRecord r) {
      String text = formatMessage(r);
      if (r.getThrown() != null) {
        StringWriter trace = new StringWriter();
        r.getThrown().printStackTrace(new PrintWriter(trace));
        text = text + "\n" + trace.toString().stripTrailing();
      }
      String prefix = "<" + priority(r.getLevel()) + ">[java][" + label(r.getLevel()) + "] "
          + (r.getLoggerName() == null ? "" : r.getLoggerName() + ": ");
      StringBuilder b = new StringBuilder();
      for (String line : text.split("\n", -1)) {
        b.append(prefix).append(line).append('\n');
      }
      return b.toString();
    }

    /** sd-daemon(3) levels: LOG_ERR 3, LOG_WARNING 4, LOG_INFO 6, LOG_DEBUG 7. */
    static int priority(Level level) {
      int v = level.intValue();
      return v >= Level.SEVERE.intValue() ? 3 : v >= Level.WARNING.intValue() ? 4 : v >= Level.INFO.intValue() ? 6 : 7;
    }

    private static String label(Level level) {
      return switch (priority(level)) {
        case 3 -> "ERROR";
        case 4 -> "WARN";
        case 6 -> "INFO";
        default -> "DEBUG";
      };
    }
  }
}
