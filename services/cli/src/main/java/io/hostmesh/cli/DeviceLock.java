package io.hostmesh.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One mesh per device root: an advisory lock ({@code fcntl}, through {@link FileChannel#tryLock})
 * on {@code var/lib/hostmesh/mesh.lock} under the root, held for the whole run, with the holder's
 * pid written in the file so a second mesh is refused naming it. Two meshes on one root would
 * overwrite each other's {@code fake-hwclock.data} and fight over one chronyd. The kernel drops
 * the lock when the process dies, so a {@code kill -9} leaves no stale lock behind; the file
 * itself is never deleted (deleting a lock file lets two processes lock two different files).
 */
final class DeviceLock implements AutoCloseable {
  /** The lock file, relative to the device root. */
  static final String PATH = "var/lib/hostmesh/mesh.lock";

  private final FileChannel channel;

  private DeviceLock(FileChannel channel) {
    this.channel = channel;
  }

  /**
   * Takes the lock of {@code root}, creating the lock file when needed.
   *
   * @throws CliFailure {@link ExitCodes#UNAVAILABLE} when another mesh holds it,
   *     {@link ExitCodes#CANT_CREATE} when the lock file cannot be made
   */
  static DeviceLock acquire(Path root) {
    Path file = root.resolve(PATH);
    FileChannel ch;
    try {
      Files.createDirectories(file.getParent());
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.CANT_CREATE, "cannot make the lock file " + file + ": " + e.getMessage());
    }
    try {
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // this JVM holds it already (a second mesh in the same process)
      }
      if (lock == null) {
        String holder = holder(ch).map(pid -> "hostmesh pid " + pid).orElse("another hostmesh");
        ch.close();
        throw new CliFailure(ExitCodes.UNAVAILABLE, "device root " + root + " is in use by " + holder
            + " (stop it first, or give this device another --root)");
      }
      ch.truncate(0);
      ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
      ch.force(false);
      return new DeviceLock(ch);
    } catch (IOException e) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // closing drops the lock; nothing else to undo
      }
      throw new CliFailure(ExitCodes.CANT_CREATE, "cannot lock " + file + ": " + e.getMessage());
    }
  }

  /** The pid written by the holder, when it is a live process (it writes it right after locking). */
  private static Optional<Long> holder(FileChannel ch) {
    try {
      ByteBuffer b = ByteBuffer.allocate(32);
      ch.read(b, 0);
      long pid = Long.parseLong(new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    try {
      channel.close(); // releases the lock
    } catch (IOException e) {
      // the lock goes with the channel, and with the process at the latest
    }
  }
}
