package io.hostmesh.ssh;

import io.hostmesh.schema.config.DevelopmentMode;
import io.hostmesh.schema.ssh.SshdMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The argument vector of one {@code sshd -i} ({@code sshd@.service}:
 * {@code ExecStart=-/usr/sbin/sshd -i $SSHD_OPTS}), chosen by the development mode as
 * {@code config_gen_devmode} does (spec/units.md §0).
 *
 * <p>With a {@link DeviceView} (sim), every variant runs inside the device's view, the development
 * ones with the sim shadow file on {@code /etc/shadow}. Without one but with a sim shadow file,
 * the development variants run inside {@code unshare --mount}: a fixed {@code sh} script binds
 * the shadow file over {@code /etc/shadow} in that private namespace and execs sshd. Every path
 * reaches a script as a positional argument, never inside its text.
 */
final class SshdCommand {
  /** Fixed text; "$1" is the shadow file, the rest is sshd's argument vector. */
  static final String NAMESPACE_SCRIPT = "mount --bind \"$1\" /etc/shadow && shift && exec \"$@\"";

  private final String sshd;
  private final String productionConfig;
  private final String developmentConfig;
  private final String simShadow;
  private final DeviceView view;

  /**
   * @param sshd absolute path of sshd
   * @param productionConfig host path of {@code sshd_config_readonly}
   * @param developmentConfig host path of {@code sshd_config_development}
   * @param simShadow host path of the sim shadow file, or null to run sshd directly
   */
  SshdCommand(String sshd, String productionConfig, String developmentConfig, String simShadow) {
    this(sshd, productionConfig, developmentConfig, simShadow, null);
  }

  /**
   * @param view the sim device's view (its shadow used by the development variants), or null
   */
  SshdCommand(String sshd, String productionConfig, String developmentConfig, String simShadow, DeviceView view) {
    this.sshd = sshd;
    this.productionConfig = productionConfig;
    this.developmentConfig = developmentConfig;
    this.simShadow = simShadow;
    this.view = view;
  }

  /** True when sessions see the device's view. */
  boolean viewed() {
    return view != null;
  }

  /**
   * spec/units.md §0 {@code config_gen_devmode}: development with keys configured turns password
   * login off; production uses the read-only config.
   */
  static SshdMode mode(DevelopmentMode m) {
    if (!m.enabled()) {
      return SshdMode.PRODUCTION;
    }
    return m.sshKeysConfigured() ? SshdMode.DEVELOPMENT_KEYS_ONLY : SshdMode.DEVELOPMENT;
  }

  List<String> argv(SshdMode mode) {
    List<String> sshdArgv = new ArrayList<>(List.of(sshd, "-i", "-f",
        mode == SshdMode.PRODUCTION ? productionConfig : developmentConfig));
    if (mode == SshdMode.DEVELOPMENT_KEYS_ONLY) {
      // "Disabling SSH passwordless login on development mode"
      sshdArgv.addAll(List.of("-o", "PasswordAuthentication=no"));
    }
    if (view != null) {
      return new DeviceView(view.root(), view.shims(), mode == SshdMode.PRODUCTION ? null : view.shadow()).argv(sshdArgv);
    }
    if (mode == SshdMode.PRODUCTION || simShadow == null) {
      return List.copyOf(sshdArgv);
    }
    List<String> argv = new ArrayList<>(List.of("unshare", "--mount", "--", "sh", "-c", NAMESPACE_SCRIPT, "sh", simShadow));
    argv.addAll(sshdArgv);
    return List.copyOf(argv);
  }
}
