package io.hostmesh.configwatch;

import io.hostmesh.platform.Poll;
import io.hostmesh.schema.config.ConfigDocument;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.units.config.DevelopmentFeatures;
import io.hostmesh.units.config.DnsServers;
import io.hostmesh.units.config.Hostname;
import io.hostmesh.units.config.NetworkManagerFragment;
import io.hostmesh.units.config.PersistentLogging;
import io.hostmesh.units.config.RootCa;
import io.hostmesh.units.config.WifiCountry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Test fixture: a sim device with config-watcher and the config-driven units, on real time. */
final class ConfigRoot {
  static final String CONFIG = "/mnt/boot/config.json";

  private ConfigRoot() {}

  /** The watcher and every config unit of services; rescans off so only the folder watch drives it. */
  static SimDevice.Builder device(Vertx vertx) {
    return SimDevice.builder(vertx)
        .unit(ConfigWatcher::new).unit(Hostname::new).unit(DnsServers::new).unit(NetworkManagerFragment::new)
        .unit(DevelopmentFeatures::new).unit(WifiCountry::new).unit(RootCa::new).unit(PersistentLogging::new)
        .settings(s -> s.put("units", new JsonObject().put(ConfigWatcher.NAME, new JsonObject().put("rescanMillis", 0))));
  }

  /** Writes config.json as jq + mv does (temp file, rename over); returns the digest of the bytes. */
  static String write(SimDevice dev, String json) {
    return write(dev, json.getBytes(StandardCharsets.UTF_8));
  }

  static String write(SimDevice dev, byte[] bytes) {
    try {
      Path target = dev.root().resolve("mnt/boot/config.json");
      Files.createDirectories(target.getParent());
      Path tmp = target.resolveSibling("config.json.tmp");
      Files.write(tmp, bytes);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return ConfigDocument.digest(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Completes when {@code condition} holds, polled every 5 ms; fails after {@code deadline}. */
  static Future<Void> until(Vertx vertx, Duration deadline, String what, BooleanSupplier condition) {
    return Poll.until(vertx, deadline, Duration.ofMillis(5), what, condition);
  }

  /** Waits until the device file has exactly this content. */
  static void awaitFile(SimDevice dev, String devicePath, String content) {
    until(dev.mesh().vertx(), Duration.ofSeconds(10), devicePath + " = " + content.replace("\n", "\\n"),
        () -> content.equals(readOrNull(dev, devicePath))).await();
  }

  static void awaitGone(SimDevice dev, String devicePath) {
    until(dev.mesh().vertx(), Duration.ofSeconds(10), devicePath + " gone",
        () -> !Files.exists(dev.path(devicePath))).await();
  }

  static String readOrNull(SimDevice dev, String devicePath) {
    try {
      Path p = dev.path(devicePath);
      return Files.exists(p) ? Files.readString(p) : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Every regular file under the root with its content, config.json and the sim's own state left out. */
  static Map<String, String> snapshot(Path root) {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String rel = root.relativize(p).toString();
        if (!rel.startsWith("mnt/boot/")) {
          out.put(rel, Files.readString(p));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
