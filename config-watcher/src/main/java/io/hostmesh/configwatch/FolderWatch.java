package io.hostmesh.configwatch;

/** A running watch of config.json's folder ({@link ConfigFileWatch} or {@link InotifyWatch}). */
interface FolderWatch extends AutoCloseable {
  /** Ends the watch; nothing is reported afterwards. */
  @Override
  void close();
}
