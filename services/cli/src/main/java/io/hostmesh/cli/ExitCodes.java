package io.hostmesh.cli;

/**
 * The exit codes of {@code hostmesh}, after BSD's sysexits.h where one fits (README.md, "Exit
 * codes", lists them all). Every failure prints one line saying what is wrong and how to fix it.
 */
public final class ExitCodes {
  /** Done; with {@code --exit-when-ready}: every unit settled and none failed. */
  public static final int OK = 0;
  /** {@code --exit-when-ready}: every unit settled, and some failed (the line names them). */
  public static final int UNIT_FAILED = 1;
  /** EX_USAGE: an unknown option or command, or a value out of range ({@code --port 99999}). */
  public static final int USAGE = 64;
  /** EX_DATAERR: {@code config set} refused the value (nothing written). */
  public static final int DATA = 65;
  /** EX_NOINPUT: what the command names does not exist: no device root, no such unit. */
  public static final int NO_INPUT = 66;
  /** EX_UNAVAILABLE: another process holds what is needed: the device root's lock, the API port. */
  public static final int UNAVAILABLE = 69;
  /** EX_SOFTWARE: a bug in hostmesh ({@code HOSTMESH_DEBUG=1} prints the stack trace). */
  public static final int SOFTWARE = 70;
  /** EX_CANTCREAT: a device root cannot be laid out there (a file, no permission). */
  public static final int CANT_CREATE = 73;
  /** EX_IOERR: {@code config set} could not write config.json. */
  public static final int IO = 74;
  /** EX_TEMPFAIL: {@code --exit-when-ready} gave up after {@code --timeout} with units unsettled. */
  public static final int TIMEOUT = 75;
  /** EX_CONFIG: hostmesh.json is not valid, or the units do not form a valid graph. */
  public static final int CONFIG = 78;

  private ExitCodes() {}
}
