package io.hostmesh.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hostmesh.schema.config.ConfigDocument;
import io.hostmesh.schema.config.JsonTrees;
import io.hostmesh.unit.support.TimeFormats;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * Lays out a simulated device root (architecture.md "Device root layout"). Only what is missing
 * is written: an existing device keeps its config.json, settings and build stamp.
 */
public final class SimInit {
  /** What the default layout listens on: the ports of a real device, on the first loopback address. */
  public static final Layout DEFAULT = new Layout("127.0.0.1", 48400, 22222);
  private static final SecureRandom RANDOM = new SecureRandom();

  private SimInit() {}

  /**
   * Where a simulated device listens. Each device may have its own loopback address (all of
   * 127.0.0.0/8 reaches this machine on Linux), so many devices run side by side on the ports a
   * real device uses.
   *
   * @param address the API's and SSH's listen address, in 127.0.0.0/8
   * @param apiPort 0 picks a free port
   * @param sshPort 0 picks a free port
   */
  public record Layout(String address, int apiPort, int sshPort) {
    /** Refuses an address outside 127.0.0.0/8 (a simulated device is never reachable from the network). */
    public Layout {
      if (!loopback(address)) {
        throw new IllegalArgumentException("--address must be a loopback address 127.0.0.1-127.255.255.254, not " + address);
      }
    }

    private static boolean loopback(String address) {
      if (address == null || !address.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
        return false;
      }
      try {
        byte[] b = InetAddress.getByName(address).getAddress();
        int last = b[3] & 0xff;
        boolean network = (b[1] | b[2]) == 0 && last == 0;
        boolean broadcast = (b[1] & b[2] & b[3] & 0xff) == 0xff;
        return !network && !broadcast;
      } catch (UnknownHostException e) {
        return false; // an octet above 255
      }
    }
  }

  /** What {@link #init} found and made. */
  public record Result(boolean newConfig, boolean newSettings, String uuid) {}

  /** The layout of old: the API on {@code apiPort}, SSH on 22222, both on 127.0.0.1. */
  public static void init(Path root, Instant buildTime, int apiPort) throws IOException {
    init(root, buildTime, new Layout(DEFAULT.address(), apiPort, DEFAULT.sshPort()));
  }

  /**
   * Creates the folders, {@code mnt/boot/config.json} (the embedded default with a uuid of its
   * own), the build timestamp, and the mesh settings with the listen address and ports — each only
   * when missing.
   *
   * @throws IOException with a one-line message when {@code root} cannot hold a device (a file,
   *     no permission)
   */
  public static Result init(Path root, Instant buildTime, Layout layout) throws IOException {
    requireFolder(root);
    try {
      for (String d : new String[] {"mnt/boot", "etc/fake-hwclock", "etc/udev/rules.d", "etc/hostmesh", "etc/ssh/hostkeys",
          "run/chrony", "home/root/.ssh", "var/volatile", "var/lib/hostmesh"}) {
        Files.createDirectories(root.resolve(d));
      }
      Path config = root.resolve(ConfigDocument.DEVICE_PATH.substring(1));
      boolean newConfig = !Files.exists(config);
      String uuid = null;
      if (newConfig) {
        uuid = newUuid();
        write(config, defaultConfig(uuid));
      }
      Path stamp = root.resolve("etc/timestamp");
      if (!Files.exists(stamp)) {
        write(stamp, TimeFormats.stamp(buildTime.truncatedTo(ChronoUnit.SECONDS)) + "\n");
      }
      Path settings = root.resolve("etc/hostmesh/hostmesh.json");
      boolean newSettings = !Files.exists(settings);
      if (newSettings) {
        write(settings, settings(layout));
      }
      return new Result(newConfig, newSettings, uuid);
    } catch (AccessDeniedException e) {
      throw new IOException("cannot lay out a device root in " + root + ": permission denied on " + e.getFile(), e);
    } catch (FileSystemException e) {
      throw new IOException("cannot lay out a device root in " + root + ": " + e.getFile()
          + (e.getReason() == null ? "" : ": " + e.getReason()), e);
    }
  }

  /** Refuses a file, and the host's own root, as a device root. */
  static void requireFolder(Path root) throws IOException {
    if (Files.exists(root) && !Files.isDirectory(root)) {
      throw new IOException("cannot lay out a device root in " + root + ": it is a file, not a folder");
    }
    if (root.toAbsolutePath().normalize().getParent() == null) {
      throw new IOException("refusing to lay out a simulated device in " + root + ": that is this machine's own root");
    }
  }

  /** A balena-style device uuid: 32 lowercase hex digits, random. */
  static String newUuid() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  static String defaultConfig(String uuid) throws IOException {
    try (InputStream in = SimInit.class.getResourceAsStream("default-config.json")) {
      ObjectNode doc = (ObjectNode) JsonTrees.read(in.readAllBytes());
      doc.put("uuid", uuid);
      return JsonTrees.pretty(doc) + "\n";
    }
  }

  static String settings(Layout l) {
    return "{\n"
        + "  \"api\": { \"host\": \"" + l.address() + "\", \"port\": " + l.apiPort() + " },\n"
        + "  \"units\": {\n"
        + "    \"ssh-socket\": { \"host\": \"" + l.address() + "\", \"port\": " + l.sshPort() + " }\n"
        + "  }\n"
        + "}\n";
  }

  /** Written to a temporary file and renamed, so a crash never leaves half a file. */
  private static void write(Path file, String text) throws IOException {
    // named like the platform's temporary files, so a start after a crash removes a leftover
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp-" + Long.toHexString(RANDOM.nextLong()));
    Files.writeString(tmp, text);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
