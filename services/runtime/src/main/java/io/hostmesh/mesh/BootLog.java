package io.hostmesh.mesh;

import java.util.List;

/**
 * The boots a device keeps besides the running one, as {@code journalctl --list-boots} lists
 * them: a sim device that reboots in one process (the sim lifecycle) gives each boot's mesh one
 * ({@link MeshBuilder#boot}), so the HTTP API of any boot can show the earlier boots'
 * journals and timelines ({@code GET /v1/boots}, {@code /v1/logs?boot=-1}). A mesh without one
 * (the device profile: a reboot is a new process) knows only its own boot.
 *
 * <p>Threading: called from any thread (the HTTP API's event loop); answers a snapshot.
 */
public interface BootLog {
  /**
   * Every kept boot, oldest first; the running boot, when there is one, last. The running boot's
   * entry has no journal, timeline or summary of its own: they are its mesh's, live.
   */
  List<KeptBoot> boots();
}
