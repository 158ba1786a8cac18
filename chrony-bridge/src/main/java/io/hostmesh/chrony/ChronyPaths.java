package io.hostmesh.chrony;

/**
 * Where chrony-bridge keeps chronyd's files, as device paths (under the device root in sim).
 * The command socket and pid file sit in chronyd's own run folder, as Debian's chronyd does;
 * every chronyd of a simulated device therefore has its own socket and pid file.
 */
final class ChronyPaths {
  /** spec/units.md §chronyd: {@code sourcedir /run/chrony}; balena-ntp-config creates it with mode 770. */
  static final String SOURCE_DIR = "/run/chrony";
  static final String SOCKET = SOURCE_DIR + "/chronyd.sock";
  static final String PID_FILE = SOURCE_DIR + "/chronyd.pid";
  /** spec/units.md §chronyd: {@code driftfile /var/lib/chrony/drift} (state partition on a device). */
  static final String DRIFT_FILE = "/var/lib/chrony/drift";
  /** Generated at every start of the unit; volatile, like everything under /run. */
  static final String CONF = "/run/hostmesh/chrony.conf";
  /** spec/units.md §balena-ntp-config. */
  static final String CONFIG_SOURCES = SOURCE_DIR + "/added_config.sources";
  /** A Unix socket path longer than this does not fit {@code sockaddr_un} (108 bytes with the NUL). */
  static final int MAX_SOCKET_PATH = 107;

  /** spec/units.md §NM dispatchers, 98dhcp_ntp: one file per interface (name validated first). */
  static String dhcpSources(String iface) {
    return SOURCE_DIR + "/added_dhcp_" + iface + ".sources";
  }

  private ChronyPaths() {}
}
