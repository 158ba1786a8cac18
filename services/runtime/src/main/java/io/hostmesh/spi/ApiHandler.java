package io.hostmesh.spi;

import io.vertx.core.Future;

/** Answers one API request; a failed future (or a thrown exception) is answered 500 with its message. */
@FunctionalInterface
public interface ApiHandler {
  Future<ApiResponse> handle(ApiRequest request);
}
