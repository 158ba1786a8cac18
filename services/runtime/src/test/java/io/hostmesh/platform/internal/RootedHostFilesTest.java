package io.hostmesh.platform.internal;

import io.hostmesh.platform.HostPathException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The security boundary of the device root. Every test lays out {@code base/root} (the device
 * root) beside {@code base/outside} (holding {@code secret}) and ends by proving that nothing
 * outside the root was created, changed or deleted.
 */
@Timeout(60)
class RootedHostFilesTest {
  @TempDir
  Path base;
  Path root;
  Path outside;
  Map<String, String> before;

  /** Every operation with a device path, as a call that may throw. */
  interface Op {
    void on(RootedHostFiles files, String devicePath) throws IOException;
  }

  static final Map<String, Op> OPS = Map.of(
      "read", (f, p) -> f.read(p),
      "write", (f, p) -> f.write(p, "pwned", null),
      "writeIfChanged", (f, p) -> f.writeIfChanged(p, "pwned", PosixFilePermissions.fromString("rwxrwxrwx")),
      "delete", (f, p) -> f.delete(p),
      "list", (f, p) -> f.list(p),
      "mkdirs", (f, p) -> f.mkdirs(p, PosixFilePermissions.fromString("rwxrwxrwx")),
      "exists", (f, p) -> f.exists(p));

  @BeforeEach
  void layOut() throws IOException {
    root = Files.createDirectories(base.resolve("root"));
    outside = Files.createDirectories(base.resolve("outside"));
    Files.writeString(outside.resolve("secret"), "secret");
    Files.createDirectories(outside.resolve("folder"));
    Files.writeString(outside.resolve("folder/victim"), "victim");
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/hostname"), "device");
    before = outsideTheRoot();
  }

  /** Every entry under {@code base} but not under the root: type, mode and content. */
  Map<String, String> outsideTheRoot() throws IOException {
    Map<String, String> seen = new TreeMap<>();
    try (Stream<Path> all = Files.walk(base)) { // does not follow links
      for (Path p : all.filter(p -> !p.startsWith(root)).toList()) {
        String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
        String what = Files.isSymbolicLink(p) ? "link " + Files.readSymbolicLink(p)
            : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "folder " + perms
            : "file " + perms + " " + Files.readString(p);
        seen.put(base.relativize(p).toString(), what);
      }
    }
    return seen;
  }

  void assertNothingOutsideTouched() throws IOException {
    assertEquals(before, outsideTheRoot(), "something outside the device root changed");
  }

  /** Runs {@code op}, which may fail; returns what it threw. */
  static Optional<Throwable> attempt(RootedHostFiles files, Op op, String path) {
    try {
      op.on(files, path);
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.of(e);
    }
  }

  void assertEveryOpRefused(RootedHostFiles files, String path) throws IOException {
    for (var op : OPS.entrySet()) {
      Throwable t = attempt(files, op.getValue(), path).orElse(null);
      assertTrue(t instanceof HostPathException, op.getKey() + " " + path.replace("\0", "\\0") + " was not refused: " + t);
    }
    assertNothingOutsideTouched();
  }

  @Test
  void dotDotIsRefusedInEveryPositionThatLeavesTheRoot() throws IOException {
    RootedHostFiles files = new RootedHostFiles(root);
    for (String path : List.of("..", "/..", "../outside/secret", "/../outside/secret", "etc/../..",
        "etc/../../outside/secret", "/etc/./../../outside/folder/victim", "etc/hostname/../../../outside",
        "a/b/c/../../../../outside/x", "..//outside", "/etc/..//../outside/secret")) {
      assertEveryOpRefused(files, path);
    }
  }

  @Test
  void dotDotThatStaysInsideResolvesInside() throws IOException {
    RootedHostFiles files = new RootedHostFiles(root);
    assertEquals(root.resolve("etc/hostname"), files.resolve("/var/../etc/hostname"));
    assertEquals(Optional.of("device"), files.read("etc/x/../hostname"));
    files.write("/a/b/../c", "c", null);
    assertEquals("c", Files.readString(root.resolve("a/c")));
    assertNothingOutsideTouched();
  }

  @Test
  void theRootItselfIsNoFile() throws IOException {
    RootedHostFiles files = new RootedHostFiles(root);
    for (String path : List.of("/", "etc/..", "/etc/hostname/../..")) {
      for (String op : List.of("read", "write", "writeIfChanged", "delete")) {
        Throwable t = attempt(files, OPS.get(op), path).orElse(null);
        assertTrue(t instanceof HostPathException, op + " " + path + ": " + t);
      }
    }
    assertEquals(List.of("etc"), files.list("/"));
    assertTrue(Files.isDirectory(root));
    assertNothingOutsideTouched();
  }

  @Test
  void absolutePathsAreDevicePathsUnderTheRoot() throws IOException {
    RootedHostFiles files = new RootedHostFiles(root);
    files.write("/etc/hostname", "mine", null);
    assertEquals("mine", Files.readString(root.resolve("etc/hostname")));
    // a host path is just a device path: it lands under the root
    String hostPath = outside.resolve("secret").toString();
    files.write(hostPath, "under the root", null);
    assertEquals("under the root", Files.readString(root.resolve(hostPath.substring(1))));
    assertEquals(root.resolve("etc/hostname"), files.resolve("etc/hostname"));
    // two slashes would make Path.resolve treat the rest as a host path
    assertEveryOpRefused(files, "//" + outside.resolve("secret").toString().substring(1));
  }

  @Test
  void nulAndEmptyPathsAreRefused() throws IOException {
    RootedHostFiles files = new RootedHostFiles(root);
    assertEveryOpRefused(files, "etc/host\0name");
    assertEveryOpRefused(files, "\0");
    assertEveryOpRefused(files, "");
    assertThrows(HostPathException.class, () -> files.resolve(null));
  }

  @Test
  void aLinkInsideTheRootPointingOutIsRefusedForEveryOperation() throws IOException {
    Files.createSymbolicLink(root.resolve("out"), outside);                                // a folder outside
    Files.createSymbolicLink(root.resolve("etc/passwd"), outside.resolve("secret"));      // a file outside
    Files.createSymbolicLink(root.resolve("etc/dangling"), outside.resolve("nothing-yet"));
    Files.createSymbolicLink(root.resolve("up"), Path.of(".."));                          // relative, out
    RootedHostFiles files = new RootedHostFiles(root);
    for (String path : List.of("/out", "/out/secret", "/out/new", "/out/folder/victim", "/out/new/deeper",
        "/etc/passwd", "/etc/dangling", "/up/outside/secret", "/up/root/../outside")) {
      assertEveryOpRefused(files, path);
    }
    assertTrue(Files.isSymbolicLink(root.resolve("etc/passwd")), "the link itself stays");
  }

  @Test
  void aLinkThatStaysInsideTheRootIsFollowed() throws IOException {
    Files.createDirectories(root.resolve("mnt/state"));
    Files.createSymbolicLink(root.resolve("data"), Path.of("mnt/state"));
    Files.createSymbolicLink(root.resolve("etc/resolv.conf"), root.resolve("mnt/state/resolv.conf"));
    Files.writeString(root.resolve("mnt/state/resolv.conf"), "nameserver 10.0.0.1\n");
    RootedHostFiles files = new RootedHostFiles(root);

    files.write("/data/hostname", "through a link", null);
    files.mkdirs("/data/new/sub", null);

    assertEquals("through a link", Files.readString(root.resolve("mnt/state/hostname")));
    assertTrue(Files.isDirectory(root.resolve("mnt/state/new/sub"), LinkOption.NOFOLLOW_LINKS));
    assertEquals(Optional.of("nameserver 10.0.0.1\n"), files.read("/etc/resolv.conf"));
    assertEquals(List.of("hostname", "new", "resolv.conf"), files.list("/data"));
    assertTrue(files.delete("/data/hostname"));
    assertFalse(Files.exists(root.resolve("mnt/state/hostname")));
    assertNothingOutsideTouched();
  }

  @Test
  void writesAreAtomicWithTheirModeAndLeaveNoTemporaryFile() throws IOException {
    RootedHostFiles files = new RootedHostFiles(root);
    files.write("/etc/ssh/keys", "k", PosixFilePermissions.fromString("rw-------"));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("etc/ssh/keys"))));
    assertFalse(files.writeIfChanged("/etc/ssh/keys", "k", PosixFilePermissions.fromString("rw-r-----")));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("etc/ssh/keys"))));
    assertTrue(files.writeIfChanged("/etc/ssh/keys", "k2", null));
    assertEquals(Optional.of("k2"), files.read("/etc/ssh/keys"));
    assertEquals(List.of("keys"), files.list("/etc/ssh"));
    assertEquals(List.of(), files.list("/nope"));
    assertEquals(Optional.empty(), files.read("/nope/x"));
    assertFalse(files.delete("/nope/x"));
    IOException notAFolder = assertThrows(IOException.class, () -> files.mkdirs("/etc/hostname", null));
    assertTrue(notAFolder.getMessage().contains("not a folder"), notAFolder.getMessage());
    assertNothingOutsideTouched();
  }

  // --- a folder inside the root replaced by a link to a folder outside after the checks -------

  /** Moves {@code dir} away and puts a link to {@code target} in its place. */
  static void swapForLink(Path dir, Path target) {
    try {
      Files.move(dir, dir.resolveSibling(dir.getFileName() + ".moved"));
      Files.createSymbolicLink(dir, target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Files whose checks are done when {@code swap} runs, just before the first use of the path. */
  RootedHostFiles swappingAfterTheCheck(Path dir, Path target) {
    AtomicBoolean swapped = new AtomicBoolean();
    return new RootedHostFiles(root, () -> {
      if (swapped.compareAndSet(false, true)) {
        swapForLink(dir, target);
      }
    });
  }

  @Test
  void aFolderSwappedForALinkOutsideBetweenCheckAndWriteGetsNothingWritten() throws IOException {
    for (String path : List.of("/etc/conf.d/secret", "/etc/conf.d/new-file", "/etc/conf.d/new/deeper")) {
      layOutAgain();
      Files.createDirectories(root.resolve("etc/conf.d"));
      RootedHostFiles files = swappingAfterTheCheck(root.resolve("etc/conf.d"), outside);
      Throwable t = attempt(files, OPS.get("write"), path).orElse(null);
      assertTrue(t instanceof HostPathException, path + ": " + t);
      assertNothingOutsideTouched();
    }
  }

  @Test
  void aFolderSwappedForALinkOutsideBetweenCheckAndUseIsRefusedForEveryOperation() throws IOException {
    // the same names inside as outside, so that every operation finds what it looks for
    Map<String, String> paths = Map.of("list", "/etc/conf.d", "mkdirs", "/etc/conf.d/sub/new");
    for (var op : OPS.entrySet()) {
      if (op.getKey().equals("exists")) {
        continue; // exists only answers a question; it opens nothing
      }
      layOutAgain();
      Files.createDirectories(root.resolve("etc/conf.d/sub"));
      Files.writeString(root.resolve("etc/conf.d/victim"), "inside");
      Files.createDirectories(outside.resolve("folder/sub"));
      before = outsideTheRoot();
      RootedHostFiles files = swappingAfterTheCheck(root.resolve("etc/conf.d"), outside.resolve("folder"));
      Throwable t = attempt(files, op.getValue(), paths.getOrDefault(op.getKey(), "/etc/conf.d/victim")).orElse(null);
      assertTrue(t instanceof HostPathException, op.getKey() + ": " + t);
      assertNothingOutsideTouched();
    }
  }

  /**
   * The swap for real, without the seam: a thread keeps re-pointing the link {@code conf.d}
   * between a folder inside the root and a folder outside (each re-pointing one atomic rename,
   * so the name never goes missing) while writes through it go on.
   */
  @Test
  void writesRacingALinkFlippingBetweenInsideAndOutsideNeverLandOutside() throws Exception {
    Files.createDirectories(root.resolve("etc/conf.real"));
    Path conf = root.resolve("etc/conf.d");
    Files.createSymbolicLink(conf, Path.of("conf.real"));
    before = outsideTheRoot();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger flips = new AtomicInteger();
    AtomicReference<Throwable> flipperFailed = new AtomicReference<>();
    Thread flipper = new Thread(() -> {
      Path next = root.resolve("etc/conf.next");
      try {
        while (!stop.get()) {
          Files.createSymbolicLink(next, outside.resolve("folder"));
          Files.move(next, conf, StandardCopyOption.ATOMIC_MOVE);
          Files.createSymbolicLink(next, Path.of("conf.real"));
          Files.move(next, conf, StandardCopyOption.ATOMIC_MOVE);
          flips.incrementAndGet();
        }
      } catch (IOException | RuntimeException e) {
        flipperFailed.set(e);
      }
    }, "flipper");
    RootedHostFiles files = new RootedHostFiles(root);
    int written = 0;
    int refused = 0;
    flipper.start();
    try {
      for (int i = 0; i < 2000; i++) {
        Optional<Throwable> t = attempt(files, OPS.get("write"), "/etc/conf.d/victim");
        if (t.isPresent()) {
          refused++;
        } else {
          written++;
        }
      }
    } finally {
      stop.set(true);
      flipper.join(10_000);
    }
    assertEquals(null, flipperFailed.get());
    assertNothingOutsideTouched();
    // the race really ran: some writes found the link pointing in, some pointing out
    assertTrue(flips.get() > 0 && written > 0 && refused > 0, flips + " flips, " + written + " written, " + refused + " refused");
    assertEquals("pwned", Files.readString(root.resolve("etc/conf.real/victim")));
  }

  void layOutAgain() throws IOException {
    for (Path p : List.of(root, outside)) {
      try (Stream<Path> all = Files.walk(p)) {
        for (Path q : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(q);
        }
      }
    }
    layOut();
  }
}
