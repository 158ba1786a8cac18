package io.hostmesh.platform;

import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Files of the device, addressed by their device path ({@code /etc/hostname}); in {@code sim}
 * they live under the device root. A path that would leave the root (through {@code ..} or a
 * symbolic link) is refused with {@link HostPathException}.
 *
 * <p>Writes are atomic: a temporary file in the same folder, fsync, rename, fsync of the folder;
 * a reader sees the old content or the new one, never a mix.
 *
 * <p>Threading: the write methods ({@link #write}, {@link #writeIfChanged}, {@link #delete},
 * {@link #mkdirs}) never block: they run on the device's ordered worker, one at a time in the
 * order they were called (so two writes of one file land in call order, and a clock set queued
 * before a write happens before it), and their futures complete on the caller's context. The read
 * methods block briefly: they are for the small regular files the units read (a few KiB, from the
 * page cache), and may be called on an event loop.
 */
public interface HostFiles {
  /** The device root ({@code /} on a device). */
  Path root();

  /** The host path of a device path, confined to the root. */
  Path resolve(String devicePath);

  boolean exists(String devicePath);

  /** The file's text, or empty when it does not exist. */
  Optional<String> read(String devicePath) throws IOException;

  /** The names of the entries of a folder, sorted; empty when it does not exist. */
  List<String> list(String deviceDir) throws IOException;

  /** Replaces the file atomically, creating folders; {@code mode} may be null (0644). */
  Future<Void> write(String devicePath, String content, Set<PosixFilePermission> mode);

  /** Writes only when the content differs; completes with true when it wrote. */
  Future<Boolean> writeIfChanged(String devicePath, String content, Set<PosixFilePermission> mode);

  /** Deletes the file; completes with true when it existed. */
  Future<Boolean> delete(String devicePath);

  /** Creates a folder and its parents with the given mode (may be null). */
  Future<Void> mkdirs(String deviceDir, Set<PosixFilePermission> mode);

  /**
   * Files whose changes are reported without a folder watch of the host (the fleet simulation's
   * in-memory files): calls {@code onChange} after every write or delete of {@code fileName} in
   * {@code deviceDir}, until the returned handle is closed. Empty (the default): the caller
   * watches {@link #resolve resolve(deviceDir)} itself, e.g. with inotify.
   */
  default java.util.Optional<AutoCloseable> watch(String deviceDir, String fileName, Runnable onChange) {
    return java.util.Optional.empty();
  }

  /** The same files with blocking methods, for code that already runs on a worker thread. */
  BlockingHostFiles blocking();
}
