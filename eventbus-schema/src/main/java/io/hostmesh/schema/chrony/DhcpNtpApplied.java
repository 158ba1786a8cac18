package io.hostmesh.schema.chrony;

/**
 * The answer to {@link DhcpNtpServers}.
 *
 * @param iface the interface
 * @param action the dispatcher action
 * @param file the sources file, as a device path ({@code /run/chrony/added_dhcp_eth0.sources})
 * @param change {@code added}, {@code updated}, {@code removed} or {@code unchanged}
 * @param reloaded true when a running chronyd was told to {@code reload sources}
 */
public record DhcpNtpApplied(String iface, String action, String file, String change, boolean reloaded) {}
