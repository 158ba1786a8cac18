package io.hostmesh.schema.config;

/**
 * The development-mode state that development-features latches (spec/units.md §8).
 *
 * @param enabled development mode is on
 * @param sshKeysConfigured {@code os.sshKeys} holds at least one key (then password login is off)
 */
public record DevelopmentMode(boolean enabled, boolean sshKeysConfigured) {}
