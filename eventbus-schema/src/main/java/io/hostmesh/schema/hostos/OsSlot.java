package io.hostmesh.schema.hostos;

/**
 * One root slot of an A/B host OS.
 *
 * @param name {@code a} or {@code b} ({@code resin-rootA}, {@code resin-rootB})
 * @param partition its partition index ({@code resin_root_part} names it in hex)
 * @param version {@code VERSION} of its os-release; empty when the slot holds no OS
 * @param metaBalenaVersion {@code META_BALENA_VERSION} of its os-release; empty when absent
 * @param init whether it has an init ({@code /sbin/init}); a slot without one never reaches userspace
 * @param running whether it runs now
 * @param named whether {@code resin_root_part} names it
 * @param simBreak sim only: what a {@code --break} made unhealthy in it ({@code engine}, {@code vpn}), else empty
 */
public record OsSlot(String name, int partition, String version, String metaBalenaVersion, boolean init,
    boolean running, boolean named, String simBreak) {}
