package io.hostmesh.fleet;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.hostmesh.platform.BlockingHostFiles;
import io.hostmesh.platform.HostFiles;
import io.hostmesh.platform.HostPathException;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A fleet device's files, in memory (an in-memory {@code java.nio} file system, Jimfs), so a unit
 * that reads a {@link Path} it got from {@link #resolve} (config-watcher reading config.json,
 * chrony-bridge looking for a stale pid file) does so without real I/O, and a fleet of 10,000
 * devices creates no folder.
 *
 * <p>Writes complete at once, on the caller's thread (the partition's one event loop), so their
 * order is the order of the calls, and a run is deterministic. After {@link #cutPower} every write
 * fails ("power cut"), as a real device's writes after the power went. {@link #watch} reports
 * writes of a watched file through the callback (config-watcher then needs no folder watch).
 *
 * <p>Threading: only from the partition's event loop.
 */
final class MemoryFiles implements BlockingHostFiles {
  private static final Configuration CONFIG = Configuration.unix().toBuilder()
      .setAttributeViews("basic", "owner", "posix", "unix")
      // small blocks: the files are a few hundred bytes; 8 KiB blocks would cost 10,000 devices a lot
      .setBlockSize(512).setMaxCacheSize(0).build();

  private final FileSystem fs;
  private final Path root;
  private final List<Watch> watches = new ArrayList<>();
  private boolean cut;

  private record Watch(String path, Runnable onChange, boolean[] closed) {}

  MemoryFiles(String name) {
    this.fs = Jimfs.newFileSystem(name, CONFIG);
    this.root = fs.getPath("/");
  }

  /** A new power cycle: writes reach the files again (what was written before the cut stays). */
  void powerOn() {
    cut = false;
  }

  void cutPower() {
    cut = true;
  }

  /** Empties {@code /run} and {@code /var/volatile} (tmpfs on a device): every boot starts without them. */
  void clearVolatile() throws IOException {
    for (String dir : List.of("/run", "/var/volatile")) {
      Path p = resolve(dir);
      if (!Files.isDirectory(p)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(p)) {
        for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          if (!x.equals(p)) {
            Files.deleteIfExists(x);
          }
        }
      }
    }
  }

  /** Frees the file system (the device is gone for good). */
  void close() {
    try {
      fs.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
    Path p = root.resolve(devicePath.startsWith("/") ? devicePath.substring(1) : devicePath).normalize();
    if (!p.startsWith(root)) {
      throw new HostPathException("device path leaves the device root: " + devicePath);
    }
    return p;
  }

  @Override
  public boolean exists(String devicePath) {
    return Files.exists(resolve(devicePath));
  }

  @Override
  public Optional<String> read(String devicePath) throws IOException {
    Path p = resolve(devicePath);
    try {
      return Files.isRegularFile(p) ? Optional.of(Files.readString(p, StandardCharsets.UTF_8)) : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public List<String> list(String deviceDir) throws IOException {
    Path p = resolve(deviceDir);
    if (!Files.isDirectory(p)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(p)) {
      return s.map(x -> x.getFileName().toString()).sorted().toList();
    }
  }

  private void powered(String what) throws IOException {
    if (cut) {
      throw new IOException("power cut: " + what + " not written");
    }
  }

  @Override
  public void write(String devicePath, String content, Set<PosixFilePermission> mode) throws IOException {
    powered(devicePath);
    Path p = resolve(devicePath);
    Files.createDirectories(p.getParent());
    // atomic as on a device: a temporary file renamed over the old one
    Path tmp = p.resolveSibling("." + p.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    if (mode != null) {
      Files.setPosixFilePermissions(tmp, mode);
    }
    Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    changed(devicePath);
  }

  @Override
  public boolean writeIfChanged(String devicePath, String content, Set<PosixFilePermission> mode) throws IOException {
    Optional<String> old = read(devicePath);
    if (old.isPresent() && old.get().equals(content)) {
      return false;
    }
    write(devicePath, content, mode);
    return true;
  }

  @Override
  public boolean delete(String devicePath) throws IOException {
    powered(devicePath);
    boolean existed = Files.deleteIfExists(resolve(devicePath));
    if (existed) {
      changed(devicePath);
    }
    return existed;
  }

  @Override
  public void mkdirs(String deviceDir, Set<PosixFilePermission> mode) throws IOException {
    powered(deviceDir);
    Path p = resolve(deviceDir);
    Files.createDirectories(p);
    if (mode != null) {
      Files.setPosixFilePermissions(p, mode);
    }
  }

  /** The same files as a unit sees them ({@link HostFiles}): every future is completed when returned. */
  HostFiles async() {
    return async;
  }

  private interface Io<T> {
    T call() throws IOException;
  }

  private static <T> Future<T> now(Io<T> io) {
    try {
      return Future.succeededFuture(io.call());
    } catch (IOException | RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private final HostFiles async = new HostFiles() {
    @Override
    public Path root() {
      return root;
    }

    @Override
    public Path resolve(String devicePath) {
      return MemoryFiles.this.resolve(devicePath);
    }

    @Override
    public boolean exists(String devicePath) {
      return MemoryFiles.this.exists(devicePath);
    }

    @Override
    public Optional<String> read(String devicePath) throws IOException {
      return MemoryFiles.this.read(devicePath);
    }

    @Override
    public List<String> list(String deviceDir) throws IOException {
      return MemoryFiles.this.list(deviceDir);
    }

    @Override
    public Future<Void> write(String devicePath, String content, Set<PosixFilePermission> mode) {
      return now(() -> {
        MemoryFiles.this.write(devicePath, content, mode);
        return null;
      });
    }

    @Override
    public Future<Boolean> writeIfChanged(String devicePath, String content, Set<PosixFilePermission> mode) {
      return now(() -> MemoryFiles.this.writeIfChanged(devicePath, content, mode));
    }

    @Override
    public Future<Boolean> delete(String devicePath) {
      return now(() -> MemoryFiles.this.delete(devicePath));
    }

    @Override
    public Future<Void> mkdirs(String deviceDir, Set<PosixFilePermission> mode) {
      return now(() -> {
        MemoryFiles.this.mkdirs(deviceDir, mode);
        return null;
      });
    }

    @Override
    public Optional<AutoCloseable> watch(String deviceDir, String fileName, Runnable onChange) {
      return MemoryFiles.this.watch(deviceDir, fileName, onChange);
    }

    @Override
    public BlockingHostFiles blocking() {
      return MemoryFiles.this;
    }
  };

  Optional<AutoCloseable> watch(String deviceDir, String fileName, Runnable onChange) {
    String path = (deviceDir.endsWith("/") ? deviceDir : deviceDir + "/") + fileName;
    Watch w = new Watch(resolve(path).toString(), onChange, new boolean[1]);
    watches.add(w);
    return Optional.of(() -> {
      w.closed()[0] = true;
      watches.remove(w);
    });
  }

  private void changed(String devicePath) {
    if (watches.isEmpty()) {
      return;
    }
    String p = resolve(devicePath).toString();
    for (Watch w : List.copyOf(watches)) {
      if (!w.closed()[0] && w.path().equals(p)) {
        w.onChange().run();
      }
    }
  }
}
