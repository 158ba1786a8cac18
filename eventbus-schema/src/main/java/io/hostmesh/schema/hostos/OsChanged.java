package io.hostmesh.schema.hostos;

/**
 * A host OS unit changed the boot state.
 *
 * @param unit who changed it
 * @param what what changed, e.g. {@code "rollback-stop"}, {@code "hooks DURING_UPDATE=1"}
 */
public record OsChanged(String unit, String what) {}
