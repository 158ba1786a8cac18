package io.hostmesh.platform.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import io.vertx.core.Context;

/**
 * A program's output read line by line on a thread of its own, where no epoll loop can watch the
 * pipe ({@link PipeLines}): the thread lives while the program (or whoever holds its output) does.
 */
public final class ThreadLines {
  private ThreadLines() {}

  /**
   * Reads the standard output of {@code p}, started from {@code argv}, to its end on a daemon
   * thread named after the program; lines go to the context. Returns {@code p}.
   */
  public static Process drain(Process p, List<String> argv, Context context, Consumer<String> onLine) {
    InputStream in = p.getInputStream();
    String program = argv.isEmpty() ? "process" : Path.of(argv.get(0)).getFileName().toString();
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          String text = line;
          context.runOnContext(v -> onLine.accept(text));
        }
      } catch (IOException e) {
        // the pipe closed with the process: nothing more to forward
      }
    }, program + "-output");
    t.setDaemon(true);
    t.start();
    return p;
  }
}
