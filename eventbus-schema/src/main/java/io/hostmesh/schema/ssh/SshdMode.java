package io.hostmesh.schema.ssh;

/**
 * Which sshd variant a connection gets (spec/units.md §2 configs, §0 {@code config_gen_devmode}).
 */
public enum SshdMode {
  /** {@code sshd_config_readonly}: public keys only. */
  PRODUCTION,
  /** {@code sshd_config_development}: root may log in with the empty password. */
  DEVELOPMENT,
  /** Development with {@code os.sshKeys} set: {@code -o PasswordAuthentication=no}. */
  DEVELOPMENT_KEYS_ONLY
}
