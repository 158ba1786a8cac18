package io.hostmesh.units.config;

import io.hostmesh.platform.Profile;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.Projections.PersistentLoggingConfig;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * balena-persistent-logs (spec/units.md §10): read once at boot, as the original; a later
 * change takes effect at the next boot. On a device the journal is bound to the data
 * partition and flushed; in sim only the folder is made and systemctl is recorded.
 */
public final class PersistentLogging extends UnitVerticle {
  public static final UnitDescriptor DESCRIPTOR = UnitDescriptor.named("persistent-logging").oneshot()
      .description("Persistent journal from config.json, at boot (balena-persistent-logs)")
      .requires(ConfigTopics.PERSISTENT_LOGGING, v -> true, "config").build();
  static final String JOURNAL_DIR = "/var/log/journal";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Override
  public UnitDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public Future<?> start() {
    boolean enabled = unit().bus().latest(ConfigTopics.PERSISTENT_LOGGING).map(PersistentLoggingConfig::enabled)
        .orElse(false);
    boolean present = unit().files().exists(JOURNAL_DIR);
    if (enabled && !present) {
      return unit().files().mkdirs(JOURNAL_DIR, null)
          .recover(e -> Future.failedFuture("cannot create " + JOURNAL_DIR + ": " + e.getMessage()))
          .compose(v -> run("systemctl", "start", "bind-var-log-journal.service")).compose(v -> flush())
          .onSuccess(v -> unit().log().info("Persistent logging activated."));
    }
    if (enabled) {
      unit().log().info("Persistent logging already activated.");
      return flush();
    }
    unit().log().info(present ? "Persistent logging was deactivated but system reboot is needed."
        : "Persistent logging deactivated.");
    return Future.succeededFuture();
  }

  private Future<Void> flush() {
    // journalctl is not among the commands the sim records: flushing the host's journal is not ours to do
    return unit().profile() == Profile.DEVICE ? run("journalctl", "--flush") : Future.succeededFuture();
  }

  private Future<Void> run(String... argv) {
    return unit().processes().run(List.of(argv), TIMEOUT).compose(r -> r.ok() ? Future.<Void>succeededFuture()
        : Future.failedFuture(String.join(" ", argv) + " failed (exit " + r.exitCode() + "): " + r.stderr().strip()));
  }
}
