package io.hostmesh.schema.config;

import java.time.Instant;

/**
 * config.json was refused; the last good configuration stays in force.
 *
 * @param file the file, as a device path ({@code /mnt/boot/config.json})
 * @param path where in the document, as a JSON pointer ({@code /os/udevRules/..~1x}); empty for the whole file
 * @param reason what is wrong, in words
 * @param unit the unit that refused it, or {@code config-watcher}
 * @param wallTime the device's system time
 */
public record ConfigError(String file, String path, String reason, String unit, Instant wallTime) {}
