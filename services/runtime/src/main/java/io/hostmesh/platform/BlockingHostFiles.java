package io.hostmesh.platform;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The device's files with blocking methods: what {@link HostFiles} runs on its worker, and what
 * code that already runs on a worker thread (the CLI, {@code executeBlocking} blocks, demo hooks)
 * may use directly ({@link HostFiles#blocking()}). Paths and guarantees as {@link HostFiles}.
 *
 * <p>Threading: every method blocks (fsync on an SD card can take seconds): never call one on an
 * event loop.
 */
public interface BlockingHostFiles {
  /** The device root ({@code /} on a device). */
  Path root();

  /** The host path of a device path, confined to the root. */
  Path resolve(String devicePath);

  boolean exists(String devicePath);

  /** The file's text, or empty when it does not exist. */
  Optional<String> read(String devicePath) throws IOException;

  /** Replaces the file atomically, creating folders; {@code mode} may be null (0644). */
  void write(String devicePath, String content, Set<PosixFilePermission> mode) throws IOException;

  /** Writes only when the content differs; returns true when it wrote. */
  boolean writeIfChanged(String devicePath, String content, Set<PosixFilePermission> mode) throws IOException;

  /** Deletes the file; returns true when it existed. */
  boolean delete(String devicePath) throws IOException;

  /** The names of the entries of a folder, sorted; empty when it does not exist. */
  List<String> list(String deviceDir) throws IOException;

  /** Creates a folder and its parents with the given mode (may be null). */
  void mkdirs(String deviceDir, Set<PosixFilePermission> mode) throws IOException;
}
