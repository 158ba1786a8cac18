package io.hostmesh.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The boot a command is about ({@code logs -b N}, {@code analyze --boot N}), numbered as
 * {@code journalctl} numbers them: 0 this boot, -1 the one before, ...; 1 the oldest kept; or a
 * boot id. Checked here before the device is asked, so a typo is a usage error (exit 64) and a
 * boot the device does not keep is too ({@code no boot -9 (kept: -2..0)}, the API's 404).
 */
final class BootChoice {
  private static final Pattern VALUE = Pattern.compile("[+-]?\\d{1,9}|[0-9a-fA-F]{32}|[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}");
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm:ss zzz", Locale.ENGLISH).withZone(ZoneId.of("UTC"));

  private BootChoice() {}

  /** Null when {@code value} names a boot (or {@code all}, where allowed), else what is wrong with it. */
  static String problem(String option, String value, boolean allowAll) {
    if (VALUE.matcher(value).matches() || (allowAll && value.equals("all"))) {
      return null;
    }
    return option + " must be 0 (this boot), -1, -2, ... (the ones before), a boot id (32 hex digits)"
        + (allowAll ? " or all" : "") + ", not '" + value + "'";
  }

  /** True when the API refused the boot asked for: not kept (404 "no boot ...") or not a boot (400 "boot ..."). */
  static boolean refused(ApiClient.ApiError e) {
    String m = String.valueOf(e.getMessage());
    return (e.status == 404 && m.startsWith("no boot ")) || (e.status == 400 && (m.startsWith("boot") || m.startsWith("follow")));
  }

  /**
   * {@code journalctl --list-boots}: a header, then one line per boot, oldest first: its index,
   * id, first and last entry ({@code lastOfRunning} for the running boot: its last log line's time).
   */
  static String table(List<ApiClient.ListedBoot> boots, Instant lastOfRunning) {
    StringBuilder b = new StringBuilder(String.format("%3s %-32s %-27s %s%n", "IDX", "BOOT ID", "FIRST ENTRY", "LAST ENTRY"));
    for (ApiClient.ListedBoot x : boots) {
      Instant last = x.ended() != null ? x.ended() : lastOfRunning != null ? lastOfRunning : x.started();
      b.append(String.format("%3d %-32s %-27s %s%n", x.index(), x.bootId(), time(x.started()), time(last)));
    }
    return b.toString();
  }

  private static String time(Instant t) {
    return t == null ? "-" : TIME.format(t);
  }
}
