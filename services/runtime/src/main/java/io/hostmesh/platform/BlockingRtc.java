package io.hostmesh.platform;

import io.hostmesh.platform.internal.WorkerRtc;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * An RTC with blocking methods, run by {@link WorkerRtc} on the device's worker.
 *
 * <p>Threading: {@link #read()} and {@link #write} block; never call them on an event loop.
 */
public interface BlockingRtc {
  boolean present();

  Optional<Instant> read();

  void write(Instant time) throws IOException;
}
