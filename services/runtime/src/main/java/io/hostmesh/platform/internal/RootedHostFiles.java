package io.hostmesh.platform.internal;

import io.hostmesh.platform.BlockingHostFiles;
import io.hostmesh.platform.HostPathException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@link BlockingHostFiles} confined to a root folder ({@code /} on a device).
 *
 * <p>The boundary has two parts. {@link #resolve} refuses a device path that leaves the root
 * through {@code ..}, or through a symbolic link whose real path is outside, and any path with
 * NUL; the root itself is no file to read, write or delete. Then every operation works through
 * folders opened one name at a time along their real path without following links
 * ({@link RootWalk}): the temporary file, the rename, the delete, the listing and the mode happen
 * relative to the opened folder. A folder replaced by a link after the checks (a race with
 * whoever else can write under the root) is met as a link on the walk and the operation is
 * refused; a swap after the folder was opened no longer matters.
 *
 * <p>What remains, honestly: Java has no {@code mkdirat}, so a missing folder is created by its
 * path. If an ancestor is swapped for a link in the instant between the walk opening it and that
 * {@code mkdir}, an <em>empty</em> folder can appear outside the root; the walk then does not find
 * it relative to the verified parent and refuses the operation, so no file is ever written there.
 * {@link #exists} and {@link #resolve} answer for the moment they look. A hard link is not a
 * link here: it is the file itself (the kernel's {@code protected_hardlinks} decides who may make
 * one to a file they do not own). The root itself and the folders above it are trusted.
 */
public final class RootedHostFiles implements BlockingHostFiles {
  private static final Set<PosixFilePermission> DEFAULT_MODE = PosixFilePermissions.fromString("rw-r--r--");
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private final Path root;
  private final RootWalk walk;

  public RootedHostFiles(Path root) {
    this(root, () -> { });
  }

  /** With {@code afterChecks} run between the path checks and the first use: a seam for race tests. */
  RootedHostFiles(Path root, Runnable afterChecks) {
    try {
      Files.createDirectories(root);
      this.root = root.toRealPath();
    } catch (IOException e) {
      throw new HostPathException("device root " + root + " is not usable: " + e.getMessage());
    }
    this.walk = new RootWalk(this.root, afterChecks);
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

  /** A device path that names a file: not the root itself. */
  private Path file(String devicePath) {
    Path p = resolve(devicePath);
    if (p.equals(root)) {
      throw new HostPathException("the device root is a folder, not a file: " + devicePath);
    }
    return p;
  }

  @Override
  public boolean exists(String devicePath) {
    return Files.exists(resolve(devicePath));
  }

  @Override
  public Optional<String> read(String devicePath) throws IOException {
    Optional<Path> real = walk.real(file(devicePath));
    if (real.isEmpty()) {
      return Optional.empty();
    }
    try (SecureDirectoryStream<Path> dir = walk.open(real.get().getParent(), false)) {
      if (dir == null) {
        return Optional.empty();
      }
      try (SeekableByteChannel ch = dir.newByteChannel(real.get().getFileName(), Set.of(StandardOpenOption.READ, NOFOLLOW))) {
        return Optional.of(new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public void write(String devicePath, String content, Set<PosixFilePermission> mode) throws IOException {
    Path target = file(devicePath);
    Set<PosixFilePermission> m = mode == null ? DEFAULT_MODE : mode;
    Path name = target.getFileName();
    Path tmp = Path.of("." + name + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    try (SecureDirectoryStream<Path> dir = walk.open(target.getParent(), true)) {
      try {
        try (SeekableByteChannel ch = dir.newByteChannel(tmp,
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW),
            PosixFilePermissions.asFileAttribute(m))) {
          ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
          while (bytes.hasRemaining()) {
            ch.write(bytes);
          }
          ((FileChannel) ch).force(true);
        }
        // the umask may have narrowed the mode at creation
        PosixFileAttributeView view = dir.getFileAttributeView(tmp, PosixFileAttributeView.class, NOFOLLOW);
        if (!view.readAttributes().permissions().equals(m)) {
          view.setPermissions(m);
        }
        // renameat in the opened folder: atomic; a link in the target's place is replaced, not followed
        dir.move(tmp, dir, name);
        RootWalk.fsync(dir);
      } finally {
        try {
          dir.deleteFile(tmp);
        } catch (IOException renamedOrBestEffort) {
          // gone after the rename; after a failure, the failure is what matters
        }
      }
    }
  }

  @Override
  public boolean writeIfChanged(String devicePath, String content, Set<PosixFilePermission> mode) throws IOException {
    Optional<String> old = read(devicePath);
    if (old.isPresent() && old.get().equals(content)) {
      if (mode != null && !setMode(file(devicePath), mode)) {
        write(devicePath, content, mode); // deleted meanwhile
        return true;
      }
      return false;
    }
    write(devicePath, content, mode);
    return true;
  }

  /** Sets the mode of the file {@code p} leads to, through the walk; false when it is gone. */
  private boolean setMode(Path p, Set<PosixFilePermission> mode) throws IOException {
    Optional<Path> real = walk.real(p);
    if (real.isEmpty()) {
      return false;
    }
    try (SecureDirectoryStream<Path> dir = walk.open(real.get().getParent(), false)) {
      if (dir == null) {
        return false;
      }
      PosixFileAttributeView view = dir.getFileAttributeView(real.get().getFileName(), PosixFileAttributeView.class, NOFOLLOW);
      if (!view.readAttributes().permissions().equals(mode)) {
        view.setPermissions(mode);
      }
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  @Override
  public boolean delete(String devicePath) throws IOException {
    Path p = file(devicePath);
    Path name = p.getFileName();
    try (SecureDirectoryStream<Path> dir = walk.open(p.getParent(), false)) {
      if (dir == null) {
        return false;
      }
      // a link is deleted itself, never what it points to; an empty folder goes too
      BasicFileAttributes a = RootWalk.attributes(dir, name);
      if (a.isDirectory()) {
        dir.deleteDirectory(name);
      } else {
        dir.deleteFile(name);
      }
      RootWalk.fsync(dir);
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  @Override
  public List<String> list(String deviceDir) throws IOException {
    Optional<Path> real = walk.real(resolve(deviceDir));
    if (real.isEmpty() || !Files.isDirectory(real.get(), NOFOLLOW)) {
      return List.of();
    }
    try (SecureDirectoryStream<Path> dir = walk.open(real.get(), false)) {
      List<String> names = new ArrayList<>();
      if (dir != null) {
        dir.forEach(e -> names.add(e.getFileName().toString()));
      }
      return names.stream().sorted().toList();
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }

  @Override
  public void mkdirs(String deviceDir, Set<PosixFilePermission> mode) throws IOException {
    try (SecureDirectoryStream<Path> dir = walk.open(resolve(deviceDir), true)) {
      if (mode != null) {
        dir.getFileAttributeView(PosixFileAttributeView.class).setPermissions(mode); // fchmod of the opened folder
      }
    }
  }
}
