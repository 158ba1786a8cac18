package io.hostmesh.mesh;

import io.hostmesh.platform.Profile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The mesh's own settings (not config.json): profile, device root, API port, and one object per
 * unit. Read from {@code /etc/hostmesh/hostmesh.json} under the device root when present.
 *
 * <pre>{@code
 * { "api": { "host": "127.0.0.1", "port": 48400 },
 *   "sim": { "record": ["udevadm", "iw", "hostname", "systemctl", "update-ca-certificates"] },
 *   "units": { "chronyd": { "enabled": false }, "ssh-socket": { "port": 22222 } } }
 * }</pre>
 */
public final class MeshSettings {
  /** The settings file, as a device path. */
  public static final String FILE = "/etc/hostmesh/hostmesh.json";
  /** The default HTTP API port. */
  public static final int DEFAULT_API_PORT = 48400;
  /** Commands the sim profile records instead of running: they would change the host. */
  public static final Set<String> DEFAULT_SIM_RECORDED = Set.of(
      "udevadm", "iw", "hostname", "systemctl", "update-ca-certificates", "nmcli", "date", "hwclock");

  private final Profile profile;
  private final Path root;
  private final JsonObject json;

  public MeshSettings(Profile profile, Path root, JsonObject json) {
    this.profile = profile;
    this.root = root;
    this.json = json == null ? new JsonObject() : json;
  }

  /**
   * Settings of a device root: its settings file if any, else defaults.
   *
   * @throws Invalid when the file is not JSON or a key the mesh reads has the wrong type; the
   *     message names the file, the line and the key
   */
  public static MeshSettings load(Profile profile, Path root) throws IOException {
    Path file = root.resolve(FILE.substring(1));
    JsonObject json = Files.exists(file) ? SettingsFile.read(file, Files.readString(file)) : new JsonObject();
    return new MeshSettings(profile, root, json);
  }

  /** A settings file that cannot be used: {@code FILE:LINE: KEY problem}, one line. */
  public static final class Invalid extends IOException {
    public Invalid(String message) {
      super(message);
    }
  }

  public Profile profile() {
    return profile;
  }

  public Path root() {
    return root;
  }

  public JsonObject json() {
    return json;
  }

  /** A copy with one value replaced at a dotted path, e.g. {@code with("api.port", 0)}. */
  public MeshSettings with(String dottedPath, Object value) {
    JsonObject copy = json.copy();
    String[] parts = dottedPath.split("\\.");
    JsonObject o = copy;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonObject next = o.getJsonObject(parts[i]);
      if (next == null) {
        next = new JsonObject();
        o.put(parts[i], next);
      }
      o = next;
    }
    o.put(parts[parts.length - 1], value);
    return new MeshSettings(profile, root, copy);
  }

  public String apiHost() {
    return json.getJsonObject("api", new JsonObject()).getString("host", "127.0.0.1");
  }

  /** The API port; 0 picks a free one; -1 disables the API. */
  public int apiPort() {
    return json.getJsonObject("api", new JsonObject()).getInteger("port", DEFAULT_API_PORT);
  }

  public JsonObject unit(String name) {
    return json.getJsonObject("units", new JsonObject()).getJsonObject(name, new JsonObject());
  }

  public boolean unitEnabled(String name) {
    return unit(name).getBoolean("enabled", true);
  }

  public Set<String> simRecorded() {
    JsonArray a = json.getJsonObject("sim", new JsonObject()).getJsonArray("record");
    if (a == null) {
      return DEFAULT_SIM_RECORDED;
    }
    Set<String> s = new LinkedHashSet<>();
    a.forEach(x -> s.add(String.valueOf(x)));
    return s;
  }
}
