package io.hostmesh.platform;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/** {@link BlockingHostFiles} confined to a root folder ({@code /} on a device). */
public final class RootedHostFiles implements BlockingHostFiles {
  private static final Set<PosixFilePermission> DEFAULT_MODE = PosixFilePermissions.fromString("rw-r--r--");
  private final Path root;

  public RootedHostFiles(Path root) {
    try {
      Files.createDirectories(root);
      this.root = root.toRealPath();
    } catch (IOException e) {
      throw new HostPathException("device root " + root + " is not usable: " + e.getMessage());
    }
  }

  @Override
  public Path root() {
    return root;
  }

  @Override
  public Path resolve(String devicePath) {
    if (devicePath == null || devicePath.isEmpty() || devicePath.indexOf('\0') >= 0) {
      throw new HostPathException("invalid device path: " + devicePath);
    }
    String rel = devicePath.startsWith("/") ? devicePath.substring(1) : devicePath;
    Path p = root.resolve(rel).normalize();
    if (!p.startsWith(root)) {
      throw new HostPathException("device path leaves the device root: " + devicePath);
    }
    // a symbolic link inside the root must not lead out of it either
    Path existing = p;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing != null) {
      try {
        if (!existing.toRealPath().startsWith(root)) {
          throw new HostPathException("device path leaves the device root through a link: " + devicePath);
        }
      } catch (IOException e) {
        throw new HostPathException("device path cannot be resolved: " + devicePath + ": " + e.getMessage());
      }
    }
    return p;
  }

  @Override
  public boolean exists(String devicePath) {
    return Files.exists(resolve(devicePath));
  }

  @Override
  public Optional<String> read(String devicePath) throws IOException {
    try {
      return Optional.of(Files.readString(resolve(devicePath), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public void write(String devicePath, String content, Set<PosixFilePermission> mode) throws IOException {
    Path target = resolve(devicePath);
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(mode == null ? DEFAULT_MODE : mode));
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
        ch.force(true);
      }
      // the umask may have narrowed the mode at creation
      Files.setPosixFilePermissions(tmp, mode == null ? DEFAULT_MODE : mode);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      fsyncDir(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public boolean writeIfChanged(String devicePath, String content, Set<PosixFilePermission> mode) throws IOException {
    Optional<String> old = read(devicePath);
    if (old.isPresent() && old.get().equals(content)) {
      if (mode != null && !Files.getPosixFilePermissions(resolve(devicePath)).equals(mode)) {
        Files.setPosixFilePermissions(resolve(devicePath), mode);
      }
      return false;
    }
    write(devicePath, content, mode);
    return true;
  }

  @Override
  public boolean delete(String devicePath) throws IOException {
    Path p = resolve(devicePath);
    boolean existed = Files.deleteIfExists(p);
    if (existed) {
      fsyncDir(p.getParent());
    }
    return existed;
  }

  @Override
  public List<String> list(String deviceDir) throws IOException {
    Path dir = resolve(deviceDir);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Override
  public void mkdirs(String deviceDir, Set<PosixFilePermission> mode) throws IOException {
    Path dir = resolve(deviceDir);
    try {
      Files.createDirectories(dir);
    } catch (FileAlreadyExistsException e) {
      throw new IOException(deviceDir + " exists and is not a folder", e);
    }
    if (mode != null) {
      Files.setPosixFilePermissions(dir, mode);
    }
  }

  private static void fsyncDir(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException ignored) {
      // some file systems refuse to open a folder for fsync; the rename is still atomic
    }
  }
}
