package io.hostmesh.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.function.Consumer;

/**
 * One member of a hostmesh cluster: a clustered Vert.x whose cluster manager is Hazelcast,
 * configured from {@link ClusterSettings} only (no {@code cluster.xml} lookup, so what a node
 * does is what its flags say).
 *
 * <p>Hazelcast: TCP-IP discovery with the given members, multicast off, bound to the given
 * address only ({@code hazelcast.socket.bind.any=false}), phone-home off (it would call out to
 * the internet), a member that stops answering is dropped after 5 s of missed heartbeats (the
 * default is 60 s; a SIGKILLed worker's partitions are re-run that much sooner). The event bus
 * binds the same address on a free port.
 */
public final class ClusterNode {
  /** The member attribute vertx-hazelcast keeps its node id in (HazelcastClusterManager). */
  static final String VERTX_NODE_ID = "__vertx.nodeId";

  /**
   * Hazelcast logs through java.util.logging here; a member's INFO lines (its whole member list at
   * every change, its start-up banner) would drown the coordinator's own progress, and two warnings
   * at every start are noise for this use (no CP subsystem is used; the JDK-internals access it
   * asks for only speeds up what the cluster barely uses). Our coordinator logs joins and leaves.
   * Held in fields: java.util.logging keeps loggers weakly.
   */
  private static final java.util.logging.Logger[] QUIET = {
      quiet("com.hazelcast", java.util.logging.Level.WARNING),
      quiet("com.hazelcast.instance.impl.HazelcastInstanceFactory", java.util.logging.Level.SEVERE),
      quiet("com.hazelcast.cp", java.util.logging.Level.SEVERE)};

  private static java.util.logging.Logger quiet(String name, java.util.logging.Level level) {
    java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
    if (System.getProperty("hostmesh.cluster.verbose") == null) {
      l.setLevel(level);
    }
    return l;
  }

  /** {@code --join k8s:SERVICE_DNS}: find members through a headless Service's DNS records. */
  public static final String KUBERNETES = "k8s:";

  private final Vertx vertx;
  private final HazelcastClusterManager manager;
  private final ClusterSettings settings;

  private ClusterNode(Vertx vertx, HazelcastClusterManager manager, ClusterSettings settings) {
    this.vertx = vertx;
    this.manager = manager;
    this.settings = settings;
  }

  /** Joins (or forms) the cluster. {@code eventLoops} sizes the node's Vert.x. */
  public static Future<ClusterNode> join(ClusterSettings settings, int eventLoops) {
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcastConfig(settings));
    VertxOptions options = new VertxOptions()
        .setEventLoopPoolSize(Math.max(1, eventLoops))
        .setEventBusOptions(new EventBusOptions()
            .setHost(settings.host())
            .setPort(0)
            .setClusterPublicHost(settings.host()));
    return Vertx.builder().with(options).withClusterManager(manager).buildClustered()
        .map(v -> new ClusterNode(v, manager, settings));
  }

  static Config hazelcastConfig(ClusterSettings s) {
    Config config = ConfigUtil.loadConfig(); // Vert.x's maps and multimaps, nothing else
    config.setClusterName(s.hazelcastClusterName());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.logging.type", "jdk");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(s.port()).setPortAutoIncrement(true).setPortCount(100);
    network.getInterfaces().setEnabled(true).addInterface(s.host());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    String k8s = s.members().stream().filter(m -> m.startsWith(KUBERNETES)).findFirst().orElse(null);
    if (k8s != null) {
      // Hazelcast's own Kubernetes discovery (DNS lookup of a headless Service): no API access needed
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-dns", k8s.substring(KUBERNETES.length()))
          .setProperty("service-port", String.valueOf(s.port()));
    } else {
      join.getTcpIpConfig().setEnabled(true).setMembers(s.members().isEmpty()
          ? java.util.List.of(s.host()) : s.members());
    }
    return config;
  }

  public Vertx vertx() {
    return vertx;
  }

  public ClusterSettings settings() {
    return settings;
  }

  /** This node's id, as Vert.x and Hazelcast name it. */
  public String nodeId() {
    return manager.getNodeId();
  }

  /** The address:port Hazelcast listens on (for the next member's --join). */
  public String hazelcastAddress() {
    var a = manager.getHazelcastInstance().getCluster().getLocalMember().getAddress();
    return a.getHost() + ":" + a.getPort();
  }

  public int members() {
    return manager.getNodes().size();
  }

  /**
   * Calls {@code left} with the node id of every member that leaves (a stop, or missed heartbeats
   * after a kill). Runs on a Hazelcast thread: hop to your own context.
   */
  public void onMemberLeft(Consumer<String> left) {
    manager.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent e) {}

      @Override
      public void memberRemoved(MembershipEvent e) {
        // Vert.x names a node by a random id it keeps as a member attribute, not by the member's UUID
        String id = e.getMember().getAttribute(VERTX_NODE_ID);
        if (id != null) {
          left.accept(id);
        }
      }
    });
  }

  public Future<Void> close() {
    return vertx.close();
  }
}
