package io.hostmesh.unit.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The TLS warm-up: every step works with the libraries on the class path, once per JVM, then free. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class TlsWarmupTest {
  @Test
  void everyStepRunsOnceAndLaterCallsCompleteAtOnce(Vertx vertx) {
    TlsWarmup.once(vertx).await();
    // a step that fails is skipped silently in production (the first request pays instead):
    // a library upgrade that breaks one must show up here
    assertEquals(List.of(), TlsWarmup.skipped(), "steps that failed");
    Future<Void> again = TlsWarmup.once(vertx);
    assertTrue(again.isComplete() && again.succeeded(), "done once per JVM: a later call completes at once");
  }
}
