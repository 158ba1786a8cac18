package io.hostmesh.platform.internal;

import io.hostmesh.platform.LoopDescriptor;
import io.netty.channel.IoEventLoop;
import io.netty.channel.unix.FileDescriptor;
import io.vertx.core.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The read end of a pipe (non-blocking) watched on an epoll event loop and cut into lines: what a
 * long-running program writes reaches its owner without a thread that waits for it. Ends at end
 * of file (the program and everything that held the pipe are gone) or when the loop shuts down,
 * and closes the descriptor either way.
 *
 * <p>Threading: everything runs on the loop; lines are handed to the context in order.
 */
final class PipeLines extends LoopDescriptor {
  /** A line longer than this is handed over in pieces of this size. */
  static final int MAX_LINE = 16 * 1024;

  private final Context context;
  private final Consumer<String> onLine;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(8 * 1024);
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  private PipeLines(FileDescriptor fd, Context context, Consumer<String> onLine) {
    super(fd);
    this.context = context;
    this.onLine = onLine;
  }

  /** Starts reading {@code fd} on {@code loop}; call on that loop. The descriptor is ours from now. */
  static void read(IoEventLoop loop, FileDescriptor fd, Context context, Consumer<String> onLine) throws IOException {
    new PipeLines(fd, context, onLine).register(loop);
  }

  @Override
  protected void readable() {
    List<String> lines = new ArrayList<>();
    boolean end = readAvailable(buffer, n -> {
      for (int i = 0; i < n; i++) {
        byte b = buffer.get(i);
        if (b == '\n') {
          lines.add(take());
        } else {
          line.write(b);
          if (line.size() >= MAX_LINE) {
            lines.add(take());
          }
        }
      }
    });
    if (end && line.size() > 0) {
      lines.add(take());
    }
    if (!lines.isEmpty()) {
      context.runOnContext(v -> lines.forEach(onLine));
    }
    if (end) {
      close();
    }
  }

  private String take() {
    String s = line.toString(StandardCharsets.UTF_8);
    line.reset();
    return s;
  }
}
