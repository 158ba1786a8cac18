package io.hostmesh.cli;

import io.hostmesh.mesh.MeshSettings;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Which device's API a command talks to: {@code --port} (default {@value MeshSettings#DEFAULT_API_PORT}),
 * or {@code --root DIR}, whose {@code run/hostmesh/api.port} (written by a running mesh, so a free
 * port chosen with {@code api.port: 0} is found) or else {@code etc/hostmesh/hostmesh.json}
 * ({@code api.port}, {@code api.host}) says where; {@code --port} and {@code --host} win over the root.
 */
final class ApiOptions {
  /** Where a running mesh writes the port its API listens on, as a device path. */
  static final String PORT_FILE = "/run/hostmesh/api.port";

  @Option(names = "--host", scope = CommandLine.ScopeType.INHERIT,
      description = "API host (default: 127.0.0.1, or the root's api.host).")
  String host;

  @Option(names = "--port", scope = CommandLine.ScopeType.INHERIT,
      description = "API port (default: 48400, or the root's api.port).")
  Integer port;

  @Option(names = "--root", paramLabel = "DIR", scope = CommandLine.ScopeType.INHERIT,
      description = "Device root: find the API from its settings.")
  Path root;

  /** A bad --root: the command exits 2 with this message. */
  static final class BadRoot extends Exception {
    BadRoot(String message) {
      super(message);
    }
  }

  /** The client; {@link BadRoot} for a root that cannot say where its API is, IOException when its device is not running. */
  ApiClient client() throws BadRoot, IOException {
    return new ApiClient(host(), port());
  }

  String host() throws BadRoot {
    if (host != null) {
      return host;
    }
    String h = root == null ? null : api().getString("host");
    // a mesh listening on every interface is reached on loopback
    return h == null || h.equals("0.0.0.0") || h.equals("::") ? "127.0.0.1" : h;
  }

  int port() throws BadRoot, IOException {
    if (port != null) {
      return port;
    }
    if (root == null) {
      return MeshSettings.DEFAULT_API_PORT;
    }
    Path written = root.resolve(PORT_FILE.substring(1));
    try {
      if (Files.isRegularFile(written)) {
        return Integer.parseInt(Files.readString(written).trim());
      }
    } catch (IOException | NumberFormatException e) {
      throw new BadRoot("cannot read " + written + ": " + e.getMessage());
    }
    int p = api().getInteger("port", MeshSettings.DEFAULT_API_PORT);
    if (p < 0) {
      throw new BadRoot("the device at " + root + " has no API (api.port is " + p + " in " + settingsFile() + ")");
    }
    if (p == 0) {
      throw new IOException("the device at " + root + " is not running (it picks a free API port, api.port 0,"
          + " and there is no " + written + ")");
    }
    return p;
  }

  private JsonObject api() throws BadRoot {
    if (!Files.isDirectory(root)) {
      throw new BadRoot("no device root at " + root);
    }
    Path file = settingsFile();
    if (!Files.exists(file)) {
      return new JsonObject();
    }
    try {
      return new JsonObject(Files.readString(file)).getJsonObject("api", new JsonObject());
    } catch (IOException | DecodeException | ClassCastException e) {
      throw new BadRoot("cannot read the API address from " + file + ": " + e.getMessage());
    }
  }

  private Path settingsFile() {
    return root.resolve(MeshSettings.FILE.substring(1));
  }
}
