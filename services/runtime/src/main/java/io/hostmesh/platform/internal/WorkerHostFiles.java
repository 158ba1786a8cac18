package io.hostmesh.platform.internal;

import io.hostmesh.platform.BlockingHostFiles;
import io.hostmesh.platform.HostFiles;

import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link HostFiles} whose writes run on the device's {@link DeviceWorker}. */
public final class WorkerHostFiles implements HostFiles {
  private final BlockingHostFiles files;
  private final DeviceWorker worker;

  public WorkerHostFiles(BlockingHostFiles files, DeviceWorker worker) {
    this.files = files;
    this.worker = worker;
  }

  @Override
  public Path root() {
    return files.root();
  }

  @Override
  public Path resolve(String devicePath) {
    return files.resolve(devicePath);
  }

  @Override
  public boolean exists(String devicePath) {
    return files.exists(devicePath);
  }

  @Override
  public Optional<String> read(String devicePath) throws IOException {
    return files.read(devicePath);
  }

  @Override
  public List<String> list(String deviceDir) throws IOException {
    return files.list(deviceDir);
  }

  @Override
  public Future<Void> write(String devicePath, String content, Set<PosixFilePermission> mode) {
    return worker.submit(() -> {
      files.write(devicePath, content, mode);
      return null;
    });
  }

  @Override
  public Future<Boolean> writeIfChanged(String devicePath, String content, Set<PosixFilePermission> mode) {
    return worker.submit(() -> files.writeIfChanged(devicePath, content, mode));
  }

  @Override
  public Future<Boolean> delete(String devicePath) {
    return worker.submit(() -> files.delete(devicePath));
  }

  @Override
  public Future<Void> mkdirs(String deviceDir, Set<PosixFilePermission> mode) {
    return worker.submit(() -> {
      files.mkdirs(deviceDir, mode);
      return null;
    });
  }

  @Override
  public BlockingHostFiles blocking() {
    return files;
  }
}
