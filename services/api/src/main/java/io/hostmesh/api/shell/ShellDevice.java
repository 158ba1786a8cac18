package io.hostmesh.api.shell;

import io.hostmesh.mesh.JournalEntry;
import io.hostmesh.mesh.Mesh;
import io.hostmesh.mesh.UnitStatus;
import io.hostmesh.schema.ssh.SshTopics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One sim device as the commands of an SSH session see it: its units under their balenaOS names,
 * its clock, its host name, and its journal's lines as journald prints them.
 */
final class ShellDevice {
  /** Every unit lives in the mesh's process: the journal shows its pid, as journald shows a service's. */
  static final long PID = ProcessHandle.current().pid();

  final Mesh mesh;
  final Vertx vertx;

  ShellDevice(Mesh mesh, Vertx vertx) {
    this.mesh = mesh;
    this.vertx = vertx;
  }

  Instant now() {
    return mesh.platform().clock().now();
  }

  /** The device's {@code /etc/hostname} (as its journal lines carry it); {@code localhost} without one. */
  Future<String> hostname() {
    String path = mesh.platform().files().resolve("/etc/hostname").toString();
    return vertx.fileSystem().readFile(path).map(b -> b.toString().strip())
        .map(h -> h.isEmpty() ? "localhost" : h)
        .otherwise("localhost");
  }

  Optional<UnitNames.Entry> find(String name) {
    return UnitNames.find(name, u -> mesh.unit(u).isPresent());
  }

  /** The unit now; empty when the mesh has no such unit. */
  Optional<SystemdUnit> unit(UnitNames.Entry e) {
    return mesh.unit(e.unit()).map(s -> SystemdUnit.of(e, s, mesh.bus().latest(SshTopics.SOCKET_STATUS)));
  }

  /** Every mesh unit under its primary balenaOS name, sorted by that name as systemctl sorts. */
  List<SystemdUnit> units() {
    List<SystemdUnit> out = new ArrayList<>();
    for (UnitStatus s : mesh.units()) {
      UnitNames.Entry e = UnitNames.primary(s.name());
      out.add(SystemdUnit.of(e, s, mesh.bus().latest(SshTopics.SOCKET_STATUS)));
    }
    out.sort((a, b) -> a.entry().name().compareTo(b.entry().name()));
    return out;
  }

  /** A journal line as journalctl's short output prints it. */
  static String line(JournalEntry e, String hostname) {
    return ShellFormat.JOURNAL.format(e.wallTime()) + " " + hostname + " " + UnitNames.primary(e.unit()).identifier()
        + "[" + PID + "]: " + e.message();
  }
}
