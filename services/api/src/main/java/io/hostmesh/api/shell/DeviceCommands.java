package io.hostmesh.api.shell;

import io.hostmesh.schema.host.CommandRecorded;
import io.hostmesh.schema.host.HostTopics;
import io.vertx.core.Future;
import io.vertx.core.file.FileSystem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code udevadm} and {@code NetworkManager --print-config} of an SSH session into a sim device.
 * {@code udevadm trigger}, {@code control --reload} and {@code settle} are recorded as the sim
 * records the units' own udevadm calls ({@code CommandRecorded} on the bus), never run on the
 * host. {@code NetworkManager --print-config} merges the device's
 * {@code /etc/NetworkManager/NetworkManager.conf} and {@code conf.d/*.conf} as NetworkManager does
 * (later files win key by key) and prints the result.
 */
final class DeviceCommands {
  private final ShellDevice device;

  DeviceCommands(ShellDevice device) {
    this.device = device;
  }

  Future<ShellOutput> udevadm(List<String> args) {
    String verb = args.isEmpty() ? "" : args.get(0);
    boolean emulated = switch (verb) {
      case "trigger", "settle" -> true;
      case "control" -> args.stream().skip(1).allMatch(a -> a.equals("--reload") || a.equals("--reload-rules")
          || a.equals("-R"));
      default -> false;
    };
    if (!emulated) {
      return ShellOutput.error(2, "udevadm (hostmesh sim): only trigger, control --reload and settle are emulated,"
          + " not: udevadm " + String.join(" ", args)).now();
    }
    List<String> argv = new ArrayList<>(List.of("udevadm"));
    argv.addAll(args);
    device.mesh.bus().publish(HostTopics.COMMAND_RECORDED, new CommandRecorded(List.copyOf(argv), device.now()));
    return ShellOutput.OK.now();
  }

  Future<ShellOutput> networkManager(List<String> args) {
    if (!args.contains("--print-config")) {
      return ShellOutput.error(1, "NetworkManager (hostmesh sim): only --print-config is emulated; the daemon of a sim"
          + " device is its network unit").now();
    }
    FileSystem fs = device.vertx.fileSystem();
    String etc = device.mesh.platform().files().resolve("/etc/NetworkManager").toString();
    String main = etc + "/NetworkManager.conf";
    String confd = etc + "/conf.d";
    return fs.exists(confd).compose(has -> has ? fs.readDir(confd, ".*\\.conf") : Future.succeededFuture(List.<String>of()))
        .compose(fragments -> {
          List<String> files = new ArrayList<>();
          files.add(main);
          files.addAll(fragments.stream().sorted().toList());
          List<Future<String>> texts = files.stream()
              .map(f -> fs.readFile(f).map(b -> b.toString()).otherwise((String) null)).toList();
          return Future.all(texts).map(x -> printConfig(files, texts.stream().map(Future::result).toList(), etc));
        })
        .otherwise(e -> ShellOutput.error(1, "NetworkManager: cannot read the configuration: " + e.getMessage()));
  }

  /** NetworkManager's {@code --print-config}: the files read, then every group with its keys. */
  static ShellOutput printConfig(List<String> files, List<String> texts, String hostEtc) {
    Map<String, Map<String, String>> groups = new LinkedHashMap<>();
    List<String> read = new ArrayList<>();
    List<String> fragments = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      String text = texts.get(i);
      if (text == null) {
        continue;
      }
      String shown = "/etc/NetworkManager" + files.get(i).substring(hostEtc.length());
      if (i == 0) {
        read.add(shown);
      } else {
        fragments.add(shown.substring(shown.lastIndexOf('/') + 1));
      }
      String group = null;
      for (String raw : text.split("\n")) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
          continue;
        }
        if (line.startsWith("[") && line.endsWith("]")) {
          group = line.substring(1, line.length() - 1).strip();
          groups.computeIfAbsent(group, g -> new LinkedHashMap<>());
        } else if (group != null && line.contains("=")) {
          int eq = line.indexOf('=');
          groups.get(group).put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
      }
    }
    StringBuilder b = new StringBuilder("# NetworkManager configuration: ");
    b.append(read.isEmpty() ? "/etc/NetworkManager/NetworkManager.conf (not found)" : String.join(" ", read));
    if (!fragments.isEmpty()) {
      b.append(" (etc: ").append(String.join(", ", fragments)).append(')');
    }
    b.append("\n");
    groups.forEach((g, keys) -> {
      b.append("\n[").append(g).append("]\n");
      keys.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
    });
    return ShellOutput.out(b.toString());
  }
}
