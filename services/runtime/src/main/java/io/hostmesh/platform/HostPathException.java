package io.hostmesh.platform;

/** A device path that would leave the device root, or is not a valid path. */
public final class HostPathException extends IllegalArgumentException {
  public HostPathException(String message) {
    super(message);
  }
}
