package io.hostmesh.configwatch;

import io.hostmesh.mesh.Mesh;
import io.hostmesh.schema.config.ConfigStatus;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.RefusedKey;
import io.hostmesh.spi.ApiResponse;
import io.hostmesh.spi.ApiRouter;
import io.hostmesh.spi.ApiRoutes;
import io.hostmesh.unit.Requirement;
import io.hostmesh.unit.UnitDescriptor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/config/status}: how config.json fares, with every refused key.
 *
 * <p>200 {@code {"inForce", "digest", "checks", "applied", "errors", "refused": [{"pointer",
 * "reason", "projections": [...], "units": [...]}]}}: each refused key with its JSON pointer,
 * its reason, the projections it holds back and the units of this mesh that require them
 * (their last good value stays in force, or they wait). {@code pointer ""} means the whole file
 * is refused. Before config-watcher has looked at the file: {@code inForce false}, nothing refused.
 */
public final class ConfigStatusRoute implements ApiRoutes {
  public static final String PATH = "/v1/config/status";

  @Override
  public void register(ApiRouter router, Mesh mesh) {
    router.get(PATH, request -> ApiResponse.json(200, body(mesh)).now());
  }

  static Map<String, Object> body(Mesh mesh) {
    ConfigStatus s = mesh.bus().latest(ConfigTopics.STATUS).orElse(ConfigStatus.initial());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("inForce", s.inForce());
    out.put("digest", s.digest());
    out.put("checks", s.checks());
    out.put("applied", s.applied());
    out.put("errors", s.errors());
    out.put("refused", s.refused().stream().map(k -> refused(k, mesh.descriptors())).toList());
    return out;
  }

  private static Map<String, Object> refused(RefusedKey k, List<UnitDescriptor> units) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("pointer", k.pointer());
    out.put("reason", k.reason());
    out.put("projections", k.projections());
    out.put("units", units.stream().filter(d -> d.requires().stream().anyMatch(q -> reads(q, k)))
        .map(UnitDescriptor::name).toList());
    return out;
  }

  private static boolean reads(Requirement<?> q, RefusedKey k) {
    return ConfigTopics.PROJECTIONS.stream()
        .anyMatch(p -> k.projections().contains(p.name()) && p.topic().address().equals(q.topic().address()));
  }
}
