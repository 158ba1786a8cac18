package io.hostmesh.configwatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.hostmesh.spi.ApiRequest;
import io.hostmesh.spi.ApiResponse;
import io.hostmesh.spi.ApiRouter;
import io.hostmesh.spi.ApiRoutes;
import io.hostmesh.mesh.Mesh;
import io.hostmesh.platform.Profile;
import io.hostmesh.platform.Timer;
import io.hostmesh.schema.config.ConfigDocument;
import io.hostmesh.schema.config.JsonTrees;
import io.hostmesh.bus.Subscription;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.DeviceConfig;
import io.hostmesh.unit.support.ConfigFileEdit;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;

/**
 * {@code PATCH /v1/config}: a JSON merge patch (RFC 7396) of config.json, written atomically as
 * an outside edit would be; config-watcher then applies it like any edit. Allowed only in the
 * sim profile or in development mode (403 otherwise).
 *
 * <p>Like {@code hostmesh config set}, a patch is refused only when a key it sets is bad; keys
 * already bad elsewhere in the file do not stop it and come back as warnings.
 *
 * <p>Answers: 200 {@code {"config": <document>, "inForce": bool, "warnings": [{"path", "reason"}]}}
 * once the watcher has put that version in force, bad keys held back (or after
 * {@link #APPLY_WAIT} with {@code inForce: false}); a warning is a key already bad (still refused)
 * or a key the patch sets that no unit reads (kept); 400 body not JSON; 415 wrong content type;
 * 422 {@code {"path", "reason", "violations": [{"path", "reason"}]}} a key the patch sets breaks
 * the rules, or the current file is refused whole (nothing written); 500 the file could not be
 * written.
 */
public final class ConfigPatchRoute implements ApiRoutes {
  public static final String PATH = "/v1/config";
  /** How long the answer waits for the watcher to put the edit in force. */
  static final Duration APPLY_WAIT = Duration.ofSeconds(5);
  private static final int BODY_LIMIT = 256 * 1024;

  @Override
  public void register(ApiRouter router, Mesh mesh) {
    router.patch(PATH, BODY_LIMIT, request -> handle(request, mesh));
  }

  /** Whether edits through the API are allowed now: sim profile, or development mode in force. */
  static boolean allowed(Mesh mesh) {
    return mesh.settings().profile() == Profile.SIM
        || mesh.bus().latest(ConfigTopics.CONFIG).map(DeviceConfig::developmentMode).orElse(false);
  }

  private Future<ApiResponse> handle(ApiRequest request, Mesh mesh) {
    if (!allowed(mesh)) {
      return ApiResponse.error(403, "PATCH " + PATH + " is allowed only in the sim profile or in development mode").now();
    }
    String mime = request.mediaType();
    if (!mime.equals("application/merge-patch+json") && !mime.equals("application/json")) {
      return ApiResponse.error(415, "send a JSON merge patch as application/merge-patch+json").now();
    }
    JsonNode patch;
    try {
      patch = JsonTrees.read(request.body().getBytes());
    } catch (java.io.IOException e) {
      String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      return ApiResponse.error(400, "the body is not JSON: " + why).now();
    }
    if (patch == null || patch.isMissingNode()) {
      return ApiResponse.error(400, "the body is empty").now();
    }
    return mesh.vertx().executeBlocking(() -> ConfigFileEdit.apply(mesh.platform().files().blocking(), patch), false)
        .compose(r -> inForce(mesh, r.digest()).map(ok -> ApiResponse.json(200, new JsonObject()
            .put("config", new JsonObject(new String(r.bytes(), java.nio.charset.StandardCharsets.UTF_8)))
            .put("inForce", ok)
            .put("warnings", warnings(r)))))
        .otherwise(e -> {
          if (e instanceof ConfigFileEdit.Refused r) {
            return ApiResponse.json(422, Map.of("error", "refused", "path", r.violation().pointer(),
                "reason", r.violation().reason(), "violations", r.violations().stream()
                    .map(v -> Map.of("path", v.pointer(), "reason", v.reason())).toList()));
          }
          return ApiResponse.error(500, "cannot write " + ConfigFileEdit.CONFIG_PATH + ": " + e.getMessage());
        });
  }

  private static JsonArray warnings(ConfigFileEdit.Result r) {
    JsonArray out = new JsonArray();
    r.alreadyBad().forEach(v -> out.add(new JsonObject().put("path", v.pointer())
        .put("reason", "already refused, left as it was: " + v.reason())));
    r.unknownKeys().forEach(k -> out.add(new JsonObject().put("path", k).put("reason", "unknown key: kept, no unit reads it")));
    return out;
  }

  /** Completes with true once the watcher has examined this version and put it in force (bad keys held back), false after the wait. */
  private static Future<Boolean> inForce(Mesh mesh, String digest) {
    Promise<Boolean> p = Promise.promise();
    Subscription sub = mesh.bus().subscribe(ConfigTopics.STATUS, s -> {
      if (digest.equals(s.digest())) {
        p.tryComplete(s.inForce() && s.refused().stream().noneMatch(k -> k.pointer().isEmpty()));
      }
    });
    // the watcher reacts to a real file event: a real-time wait, even on a virtual-time device
    Timer t = mesh.platform().scheduler().realTime().schedule(APPLY_WAIT, () -> p.tryComplete(false));
    return p.future().onComplete(x -> {
      t.cancel();
      sub.cancel();
    });
  }
}
