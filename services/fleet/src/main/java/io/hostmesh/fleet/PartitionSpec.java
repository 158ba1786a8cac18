package io.hostmesh.fleet;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One partition of a fleet run: everything a runner needs, and nothing that depends on where it
 * runs, so it can be handed to another JVM (issue 15's cluster workers) as JSON and give the same
 * result there. The devices of a partition are the ids {@code [firstDevice, firstDevice +
 * deviceCount)} of a fleet of {@code fleetDevices}; everything random about a device is drawn from
 * {@code seed} and its id alone, never from the partition, so the split does not change the fleet.
 *
 * @param scenario the scenario document (validated; {@link Scenario#parse})
 * @param seed the fleet's seed
 * @param partition this partition's number, 0-based
 * @param partitions how many partitions the fleet has
 * @param firstDevice the first device id
 * @param deviceCount how many devices, from {@code firstDevice} on
 * @param fleetDevices the fleet's device count
 */
public record PartitionSpec(JsonObject scenario, long seed, int partition, int partitions, int firstDevice,
    int deviceCount, int fleetDevices) {
  public PartitionSpec {
    Objects.requireNonNull(scenario, "scenario");
    if (partitions < 1 || partition < 0 || partition >= partitions) {
      throw new IllegalArgumentException("partition " + partition + " of " + partitions);
    }
    if (firstDevice < 0 || deviceCount < 0 || (long) firstDevice + deviceCount > fleetDevices) {
      throw new IllegalArgumentException("devices [" + firstDevice + ", " + ((long) firstDevice + deviceCount)
          + ") are not within a fleet of " + fleetDevices);
    }
  }

  /**
   * Splits a fleet into {@code partitions} runs of consecutive device ids, as even as can be
   * (the first ones one device larger). The split depends only on the counts.
   */
  public static List<PartitionSpec> split(JsonObject scenario, long seed, int fleetDevices, int partitions) {
    int n = Math.max(1, Math.min(partitions, Math.max(1, fleetDevices)));
    List<PartitionSpec> out = new ArrayList<>(n);
    int first = 0;
    for (int i = 0; i < n; i++) {
      int count = fleetDevices / n + (i < fleetDevices % n ? 1 : 0);
      out.add(new PartitionSpec(scenario, seed, i, n, first, count, fleetDevices));
      first += count;
    }
    return out;
  }

  public JsonObject toJson() {
    return new JsonObject().put("scenario", scenario).put("seed", seed).put("partition", partition)
        .put("partitions", partitions).put("firstDevice", firstDevice).put("deviceCount", deviceCount)
        .put("fleetDevices", fleetDevices);
  }

  public static PartitionSpec fromJson(JsonObject j) {
    return new PartitionSpec(j.getJsonObject("scenario"), j.getLong("seed"), j.getInteger("partition"),
        j.getInteger("partitions"), j.getInteger("firstDevice"), j.getInteger("deviceCount"), j.getInteger("fleetDevices"));
  }

  public byte[] toBytes() {
    return toJson().encode().getBytes(StandardCharsets.UTF_8);
  }

  public static PartitionSpec fromBytes(byte[] bytes) {
    return fromJson(new JsonObject(new String(bytes, StandardCharsets.UTF_8)));
  }
}
