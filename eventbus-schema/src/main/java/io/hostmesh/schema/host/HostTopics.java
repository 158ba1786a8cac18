package io.hostmesh.schema.host;

import io.hostmesh.bus.Topic;

/** Topics about the host platform. */
public final class HostTopics {
  /** Commands the sim profile recorded instead of running. */
  public static final Topic<CommandRecorded> COMMAND_RECORDED = Topic.event("host.command-recorded", CommandRecorded.class);

  private HostTopics() {}
}
