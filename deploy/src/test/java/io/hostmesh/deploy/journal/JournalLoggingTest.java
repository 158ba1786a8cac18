package io.hostmesh.deploy.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** The journal line format of library (JUL) records: one prefixed line per text line. */
class JournalLoggingTest {
  private final JournalLogging.JournalFormatter f = new JournalLogging.JournalFormatter();

  @Test
  void nettysWarningIsOneWarningLine() {
    LogRecord r = new LogRecord(Level.WARNING, "Failed to find a usable hardware address from the network interfaces; using random bytes: {0}");
    r.setParameters(new Object[] {"c4:87"});
    r.setLoggerName("io.netty.util.internal.MacAddressUtil");
    assertEquals("<4>[java][WARN] io.netty.util.internal.MacAddressUtil: Failed to find a usable hardware address from the"
        + " network interfaces; using random bytes: c4:87\n", f.format(r));
  }

  @Test
  void everyLineOfAStackTraceKeepsThePriority() {
    LogRecord r = new LogRecord(Level.SEVERE, "blocked");
    r.setLoggerName("io.vertx.core.impl.BlockedThreadChecker");
    r.setThrown(new IllegalStateException("stuck"));
    String out = f.format(r);
    String[] lines = out.split("\n");
    assertTrue(lines.length > 2, out);
    for (String line : lines) {
      assertTrue(line.startsWith("<3>[java][ERROR] io.vertx.core.impl.BlockedThreadChecker: "), line);
    }
  }

  @Test
  void levelsMapToSyslogPriorities() {
    assertEquals(3, JournalLogging.JournalFormatter.priority(Level.SEVERE));
    assertEquals(4, JournalLogging.JournalFormatter.priority(Level.WARNING));
    assertEquals(6, JournalLogging.JournalFormatter.priority(Level.INFO));
    assertEquals(7, JournalLogging.JournalFormatter.priority(Level.FINE));
  }
}
