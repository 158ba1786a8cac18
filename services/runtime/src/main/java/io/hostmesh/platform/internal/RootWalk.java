package io.hostmesh.platform.internal;

import io.hostmesh.platform.HostPathException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Opens folders under the device root one name at a time, each relative to the folder opened
 * before it and never through a symbolic link ({@code openat} with {@code O_NOFOLLOW}, through
 * {@link SecureDirectoryStream}). What {@link RootedHostFiles} then does relative to the opened
 * folder happens inside the root, whatever is renamed or swapped on the way there afterwards.
 *
 * <p>Links that stay inside the root still work: the walk follows the <em>real</em> path of the
 * folder, computed (and checked to be inside the root) just before, so it meets no link unless
 * one was swapped in after that check; that is refused.
 */
final class RootWalk {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private final Path root;
  private final Runnable afterChecks;

  /**
   * @param root the real path of the device root; it and the folders above it are trusted
   * @param afterChecks runs after the path checks and before the walk: a seam for the race
   *     tests, doing nothing in production
   */
  RootWalk(Path root, Runnable afterChecks) {
    this.root = root;
    this.afterChecks = afterChecks;
  }

  /**
   * The folder {@code dir} opened through the walk; missing folders are created when
   * {@code create}, else the answer is null. {@code dir} is a normalised path under the root
   * ({@link RootedHostFiles#resolve}); links inside the root on it are followed as far as it
   * exists, after checking that they lead to a folder inside the root.
   *
   * @throws HostPathException when the real path leaves the root, or a folder on it was
   *     replaced by a link after the check
   * @throws IOException when a name on the way exists and is not a folder
   */
  SecureDirectoryStream<Path> open(Path dir, boolean create) throws IOException {
    Path existing = dir;
    while (!existing.equals(root) && !Files.exists(existing, NOFOLLOW)) {
      existing = existing.getParent();
    }
    Path real = inside(existing.toRealPath(), dir);
    List<Path> names = new ArrayList<>();
    root.relativize(real).forEach(names::add);
    existing.relativize(dir).forEach(names::add);
    names.removeIf(n -> n.toString().isEmpty());
    if (!create && !existing.equals(dir)) {
      return null;
    }
    afterChecks.run();
    SecureDirectoryStream<Path> at = openRoot();
    Path atPath = root;
    try {
      for (Path name : names) {
        SecureDirectoryStream<Path> next = step(at, atPath.resolve(name), name, create);
        at.close();
        at = next;
        atPath = atPath.resolve(name);
        if (at == null) {
          return null;
        }
      }
      return at;
    } catch (IOException | RuntimeException e) {
      if (at != null) {
        at.close();
      }
      throw e;
    }
  }

  /** The real path of an existing {@code p}, checked to be inside the root; empty when missing. */
  Optional<Path> real(Path p) throws IOException {
    try {
      return Optional.of(inside(p.toRealPath(), p));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  private SecureDirectoryStream<Path> step(SecureDirectoryStream<Path> at, Path path, Path name, boolean create)
      throws IOException {
    BasicFileAttributes a;
    try {
      a = attributes(at, name);
    } catch (NoSuchFileException e) {
      if (!create) {
        return null;
      }
      // Java has no mkdirat: the folder is made by its path, then opened relative to the
      // verified parent; if a swap sent the mkdir elsewhere, that open finds nothing
      try {
        Files.createDirectory(path);
      } catch (FileAlreadyExistsException raced) {
        // someone else made it: it is checked like any other name below
      }
      a = attributes(at, name);
    }
    if (a.isSymbolicLink()) {
      throw swapped(path);
    }
    if (!a.isDirectory()) {
      throw new NotDirectoryException(devicePath(path) + " exists and is not a folder");
    }
    try {
      return at.newDirectoryStream(name, NOFOLLOW);
    } catch (NotDirectoryException e) {
      throw swapped(path);
    } catch (NoSuchFileException e) {
      if (create) {
        throw swapped(path);
      }
      return null;
    } catch (FileSystemException e) {
      // ELOOP: it became a link between the look and the open
      if (attributes(at, name).isSymbolicLink()) {
        throw swapped(path);
      }
      throw e;
    }
  }

  static BasicFileAttributes attributes(SecureDirectoryStream<Path> at, Path name) throws IOException {
    return at.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW).readAttributes();
  }

  /** Flushes the folder's entries (a rename, a delete) to disk; best effort. */
  static void fsync(SecureDirectoryStream<Path> dir) {
    try (SeekableByteChannel ch = dir.newByteChannel(Path.of("."), Set.of(StandardOpenOption.READ))) {
      if (ch instanceof FileChannel fc) {
        fc.force(true);
      }
    } catch (IOException ignored) {
      // some file systems refuse to fsync a folder; the rename is still atomic
    }
  }

  private SecureDirectoryStream<Path> openRoot() throws IOException {
    DirectoryStream<Path> ds = Files.newDirectoryStream(root);
    if (ds instanceof SecureDirectoryStream<Path> sds) {
      return sds;
    }
    ds.close();
    throw new IOException("this platform cannot open folders relative to each other (no SecureDirectoryStream),"
        + " which the device root needs");
  }

  private Path inside(Path real, Path asked) {
    if (!real.startsWith(root)) {
      throw new HostPathException("device path leaves the device root through a link: " + devicePath(asked));
    }
    return real;
  }

  private HostPathException swapped(Path path) {
    return new HostPathException("device path changed while in use (a folder replaced by a link?): " + devicePath(path));
  }

  String devicePath(Path path) {
    return "/" + root.relativize(path);
  }
}
