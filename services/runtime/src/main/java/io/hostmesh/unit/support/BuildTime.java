package io.hostmesh.unit.support;

import io.hostmesh.platform.HostFiles;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/** The build timestamp in {@code /etc/timestamp}, the floor of every plausible time. */
public final class BuildTime {
  /** The device path of the build timestamp. */
  public static final String FILE = "/etc/timestamp";

  private BuildTime() {}

  /** The build time, or empty when the file is missing or unreadable. */
  public static Optional<Instant> read(HostFiles files) {
    try {
      return files.read(FILE).flatMap(TimeFormats::parseStamp);
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
