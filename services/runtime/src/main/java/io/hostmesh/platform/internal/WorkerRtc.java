package io.hostmesh.platform.internal;

import io.hostmesh.platform.BlockingRtc;
import io.hostmesh.platform.Rtc;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;

/** {@link Rtc} whose reads and writes run on the device's {@link DeviceWorker}. */
public final class WorkerRtc implements Rtc {
  private final BlockingRtc rtc;
  private final DeviceWorker worker;

  public WorkerRtc(BlockingRtc rtc, DeviceWorker worker) {
    this.rtc = rtc;
    this.worker = worker;
  }

  @Override
  public boolean present() {
    return rtc.present();
  }

  @Override
  public Future<Optional<Instant>> read() {
    return worker.submit(rtc::read);
  }

  @Override
  public Future<Void> write(Instant time) {
    return worker.submit(() -> {
      rtc.write(time);
      return null;
    });
  }
}
