package io.hostmesh.api.shell;

import io.hostmesh.mesh.UnitStatus;
import io.hostmesh.schema.ssh.SshSocketState;
import io.hostmesh.schema.ssh.SshSocketStatus;
import io.hostmesh.schema.unit.UnitState;
import java.time.Instant;
import java.util.Optional;

/**
 * A balenaOS unit as systemd shows it: {@code LoadState}, {@code ActiveState}, {@code SubState},
 * {@code Result}, {@code UnitFileState}, derived from its mesh unit (and, for sshd.socket, from
 * the socket's own status).
 *
 * @param entry its name and mesh unit
 * @param status the mesh unit's status
 * @param loadState {@code loaded}, or {@code masked} for a unit turned off in the settings
 * @param activeState {@code active}, {@code activating}, {@code deactivating}, {@code inactive}, {@code failed}
 * @param subState {@code running}, {@code exited}, {@code listening}, {@code waiting}, {@code dead}, ...
 * @param result systemd's {@code Result=}
 * @param since when the state began (device time), or null
 * @param statusText the mesh unit's detail, as a service's {@code Status:} line
 */
record SystemdUnit(UnitNames.Entry entry, UnitStatus status, String loadState, String activeState, String subState,
    String result, Instant since, String statusText) {

  static SystemdUnit of(UnitNames.Entry e, UnitStatus s, Optional<SshSocketStatus> socket) {
    String load = s.state() == UnitState.DISABLED ? "masked" : "loaded";
    String active;
    String sub;
    String result = s.result().label();
    switch (s.state()) {
      case ACTIVATING -> { active = "activating"; sub = "start"; }
      case ACTIVE -> { active = "active"; sub = "running"; }
      case EXITED -> { active = "active"; sub = "exited"; }
      case DEACTIVATING -> { active = "deactivating"; sub = "stop"; }
      case FAILED -> { active = "failed"; sub = "failed"; }
      default -> { active = "inactive"; sub = "dead"; }
    }
    boolean runs = s.state() == UnitState.ACTIVE;
    switch (e.kind()) {
      case SOCKET -> {
        if (runs && socket.isPresent()) {
          SshSocketState st = socket.get().state();
          active = st == SshSocketState.LISTENING ? "active" : st == SshSocketState.TRIGGER_LIMIT_HIT ? "failed" : "inactive";
          sub = st == SshSocketState.LISTENING ? "listening" : st == SshSocketState.TRIGGER_LIMIT_HIT ? "failed" : "dead";
          result = st == SshSocketState.TRIGGER_LIMIT_HIT ? st.label() : "success";
        }
      }
      case TIMER -> sub = runs ? "waiting" : sub;
      case JOB -> {
        // started by its path or timer, between runs it is inactive: only a failure shows
        if (!active.equals("failed")) {
          active = "inactive";
          sub = "dead";
        }
      }
      default -> { }
    }
    String text = s.state() == UnitState.SKIPPED || s.state() == UnitState.WAITING ? "" : s.detail();
    return new SystemdUnit(e, s, load, active, sub, result, s.since(), text == null ? "" : text);
  }

  /** {@code systemctl is-enabled}: masked units are off in the settings; path- or timer-started jobs are static. */
  String unitFileState() {
    if (loadState.equals("masked")) {
      return "masked";
    }
    return entry.kind() == UnitNames.Kind.JOB ? "static" : "enabled";
  }

  boolean active() {
    return activeState.equals("active");
  }

  boolean failed() {
    return activeState.equals("failed");
  }

  /** systemd's {@code Type=}: oneshot units exit, the others keep running. */
  String type() {
    return status.type().equals("oneshot") || entry.kind() == UnitNames.Kind.JOB ? "oneshot" : "simple";
  }
}
