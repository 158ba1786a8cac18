package com.example.uplink;

import java.time.Instant;

/**
 * What {@link UplinkReporter} latches on {@link UplinkReporter#REPORT}.
 *
 * @param online whether the device has a network now
 * @param reason the network's last reason ({@code sim start}, {@code api}, ...)
 * @param clockTrustedAt device time when time-sync-https-wait was reached
 * @param reportedAt device time of this report
 * @param reports reports so far (1 for the first)
 */
public record UplinkReport(boolean online, String reason, Instant clockTrustedAt, Instant reportedAt, long reports) {}
