package io.hostmesh.schema.hostos;

/**
 * A simulated host OS update ({@code hostmesh sim hup --version X.Y.Z [--break engine|vpn|init]}).
 *
 * @param version the new OS's version, e.g. {@code 2.89.0} or {@code 2.88.4+rev1}
 * @param breakPart what the new OS breaks: {@code engine} (its health check fails), {@code vpn} (it
 *     never connects), {@code init} (no {@code /sbin/init}: it never reaches userspace), or empty
 * @param requester who asked ({@code api}, {@code test})
 */
public record HupRequest(String version, String breakPart, String requester) {}
