package io.hostmesh.platform;

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
 * <p>Methods block: they are meant for the small files the host units write (a few KiB).
 * Writes are atomic: a temporary file in the same folder, fsync, rename, fsync of the folder;
 * a reader sees the old content or the new one, never a mix.
 */
public interface HostFiles {
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
