package io.hostmesh.api.shell;

import io.hostmesh.platform.Platform;
import io.hostmesh.platform.Profile;
import io.hostmesh.schema.chrony.ChronyStatus;
import io.hostmesh.schema.chrony.ChronyTopics;
import io.hostmesh.schema.unit.UnitState;
import io.vertx.core.Future;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The clock commands of an SSH session into a sim device: {@code date} (the device's clock, read
 * or set; the shim formats it with the real date), {@code timedatectl} and {@code hwclock} (the
 * sim RTC). Every change goes to the sim clock or RTC (a {@code ClockSet} with source
 * {@code sim}, as {@code POST /v1/sim/clock}), never to the host's.
 */
final class ClockCommands {
  static final String SOURCE = "sim";
  /** util-linux 2.38's {@code hwclock --show}: {@code 2024-01-04 10:00:00.123456+00:00}. */
  private static final DateTimeFormatter HWCLOCK =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final ShellDevice device;

  ClockCommands(ShellDevice device) {
    this.device = device;
  }

  private Platform platform() {
    return device.mesh.platform();
  }

  /**
   * {@code date [-s TIME]}: the device's time as {@code EPOCH.NANOS} for the shim to format; with
   * {@code -s}/{@code --set}, set first (relative values count from the device's time).
   */
  Future<ShellOutput> date(List<String> args) {
    String set = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("-s") || a.equals("--set")) {
        if (i + 1 >= args.size()) {
          return ShellOutput.error(1, "date: option requires an argument -- 's'").now();
        }
        set = args.get(++i);
      } else if (a.startsWith("--set=")) {
        set = a.substring("--set=".length());
      } else if (a.startsWith("-s")) {
        set = a.substring(2);
      }
    }
    if (set == null) {
      return ShellOutput.out(epoch(device.now())).now();
    }
    Optional<Instant> target = DateParser.parse(set, device.now());
    if (target.isEmpty()) {
      return ShellOutput.error(1, "date: invalid date ‘" + set + "’").now();
    }
    if (platform().profile() != Profile.SIM) {
      return ShellOutput.error(1, "date: cannot set date: a real device's clock is not set through the sim").now();
    }
    return platform().clock().set(target.get(), SOURCE).map(c -> ShellOutput.out(epoch(c.now())))
        .otherwise(e -> ShellOutput.error(1, "date: cannot set date: " + e.getMessage()));
  }

  private static String epoch(Instant t) {
    return t.getEpochSecond() + "." + String.format("%09d", t.getNano()) + "\n";
  }

  /** {@code timedatectl [status|show]}, as systemd 250 prints them; setting is not emulated. */
  Future<ShellOutput> timedatectl(List<String> args) {
    String verb = args.stream().filter(a -> !a.startsWith("-")).findFirst().orElse("status");
    if (!verb.equals("status") && !verb.equals("show")) {
      return ShellOutput.error(1, "timedatectl: '" + verb + "' is not emulated on a sim device (status and show are; "
          + "date -s sets its clock)").now();
    }
    return platform().rtc().read().otherwise(Optional.empty()).map(rtc -> {
      Instant now = device.now();
      boolean synced = device.mesh.bus().latest(ChronyTopics.STATUS).map(ChronyStatus::synced).orElse(false);
      boolean ntp = device.mesh.unit("chronyd").map(u -> u.state() == UnitState.ACTIVE).orElse(false);
      if (verb.equals("show")) {
        return ShellOutput.out("Timezone=UTC\nLocalRTC=no\nCanNTP=" + yes(device.mesh.unit("chronyd").isPresent())
            + "\nNTP=" + yes(ntp) + "\nNTPSynchronized=" + yes(synced) + "\nTimeUSec=" + ShellFormat.timestamp(now)
            + "\nRTCTimeUSec=" + rtc.map(ShellFormat.RTC::format).orElse("n/a") + "\n");
      }
      return ShellOutput.out("               Local time: " + ShellFormat.timestamp(now) + "\n"
          + "           Universal time: " + ShellFormat.timestamp(now) + "\n"
          + "                 RTC time: " + rtc.map(ShellFormat.RTC::format).orElse("n/a") + "\n"
          + "                Time zone: UTC (UTC, +0000)\n"
          + "System clock synchronized: " + yes(synced) + "\n"
          + "              NTP service: " + (ntp ? "active" : "inactive") + "\n"
          + "          RTC in local TZ: no\n");
    });
  }

  private static String yes(boolean b) {
    return b ? "yes" : "no";
  }

  /** {@code hwclock [-r|--show|-w|--systohc|-s|--hctosys]} on the sim RTC. */
  Future<ShellOutput> hwclock(List<String> args) {
    String action = "show";
    for (String a : args) {
      switch (a) {
        case "-r", "--show", "--get" -> action = "show";
        case "-w", "--systohc" -> action = "systohc";
        case "-s", "--hctosys" -> action = "hctosys";
        case "-u", "--utc", "--localtime", "-l", "--test", "--verbose", "-v" -> { }
        default -> {
          if (!a.startsWith("-f") && !a.startsWith("--rtc")) {
            return ShellOutput.error(1, "hwclock: '" + a + "' is not emulated on a sim device (--show, --systohc and --hctosys are)").now();
          }
        }
      }
    }
    if (!platform().rtc().present()) {
      return ShellOutput.error(1, "hwclock: Cannot access the Hardware Clock via any known method.\n"
          + "hwclock: Use the --verbose option to see the details of our search for an access method.").now();
    }
    return switch (action) {
      case "systohc" -> platform().rtc().write(device.now()).map(v -> ShellOutput.OK)
          .otherwise(e -> ShellOutput.error(1, "hwclock: " + e.getMessage()));
      case "hctosys" -> platform().rtc().read().compose(t -> t.isEmpty()
              ? Future.succeededFuture(ShellOutput.error(1, "hwclock: Cannot read the Hardware Clock."))
              : platform().clock().set(t.get(), SOURCE).map(c -> ShellOutput.OK))
          .otherwise(e -> ShellOutput.error(1, "hwclock: " + e.getMessage()));
      default -> platform().rtc().read().map(t -> t.map(x -> ShellOutput.out(HWCLOCK.format(x) + "\n"))
          .orElse(ShellOutput.error(1, "hwclock: Cannot read the Hardware Clock.")))
          .otherwise(e -> ShellOutput.error(1, "hwclock: " + e.getMessage()));
    };
  }
}
