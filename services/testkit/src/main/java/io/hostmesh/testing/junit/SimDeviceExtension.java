package io.hostmesh.testing.junit;

import io.hostmesh.bus.Topic;
import io.hostmesh.platform.VirtualScheduler;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.unit.Requirement;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Boots an in-process {@link SimDevice} with the units named by {@link SimUnits} before each
 * test and stops it after; injects {@link SimDevice}, {@link VirtualScheduler} and {@link Vertx}
 * parameters.
 *
 * <pre>{@code
 * @ExtendWith(SimDeviceExtension.class)
 * @SimUnits(MyUnit.class)
 * class MyUnitTest {
 *   @Test void publishes(SimDevice dev) {
 *     dev.bus().publish(Targets.NETWORK, new NetworkState(true, "test", Instant.now()));
 *     dev.awaitUnit("my-unit", UnitState.ACTIVE).await();
 *   }
 * }
 * }</pre>
 *
 * <p>Threading: the device starts and stops on the JUnit thread (blocking on Vert.x futures,
 * which is allowed off the event loop). Failure: a unit class without a public no-argument
 * constructor, or a missing {@code @SimUnits}, fails the test with an
 * {@link ExtensionConfigurationException}; a mesh that cannot start fails the test with the
 * mesh's error. JUnit Jupiter is an optional dependency of services: add
 * {@code junit-jupiter} to the test scope of your plugin.
 */
public final class SimDeviceExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SimDeviceExtension.class);

  @Override
  public void beforeEach(ExtensionContext context) {
    SimUnits spec = context.getTestMethod().map(m -> m.getAnnotation(SimUnits.class)).orElse(null);
    if (spec == null) {
      spec = context.getRequiredTestClass().getAnnotation(SimUnits.class);
    }
    if (spec == null) {
      throw new ExtensionConfigurationException("SimDeviceExtension needs @SimUnits on the test class or method");
    }
    Vertx vertx = Vertx.vertx();
    SimDevice dev;
    try {
      dev = build(vertx, spec);
    } catch (RuntimeException e) {
      vertx.close().await();
      throw e;
    }
    context.getStore(NS).put(Booted.class, new Booted(vertx, dev));
    if (spec.start()) {
      dev.start().await();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Booted b = context.getStore(NS).remove(Booted.class, Booted.class);
    if (b != null) {
      b.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    Class<?> t = p.getParameter().getType();
    return t == SimDevice.class || t == VirtualScheduler.class || t == Vertx.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    Booted b = e.getStore(NS).get(Booted.class, Booted.class);
    if (b == null) {
      throw new ParameterResolutionException("no SimDevice: SimDeviceExtension injects into test methods only");
    }
    Class<?> t = p.getParameter().getType();
    return t == SimDevice.class ? b.dev : t == Vertx.class ? b.vertx : b.dev.time();
  }

  static SimDevice build(Vertx vertx, SimUnits spec) {
    SimDevice.Builder b = SimDevice.builder(vertx);
    if (spec.virtualTime()) {
      b.virtualTime();
    }
    if (!spec.settings().isBlank()) {
      JsonObject extra = new JsonObject(spec.settings());
      b.settings(s -> s.mergeIn(extra, true));
    }
    List<UnitDescriptor> descriptors = new ArrayList<>();
    for (Class<? extends UnitVerticle> type : spec.value()) {
      Supplier<UnitVerticle> factory = () -> instantiate(type);
      descriptors.add(factory.get().descriptor());
      b.unit(factory);
    }
    b.external(externalTopics(descriptors).toArray(Topic[]::new));
    return b.build();
  }

  /** Required topics that no chosen unit provides or publishes: the test latches them. */
  static Set<Topic<?>> externalTopics(List<UnitDescriptor> units) {
    Set<Topic<?>> supplied = new HashSet<>();
    units.forEach(d -> {
      supplied.addAll(d.provides());
      supplied.addAll(d.publishes());
    });
    Set<Topic<?>> external = new LinkedHashSet<>();
    for (UnitDescriptor d : units) {
      for (Requirement<?> r : d.requires()) {
        if (!supplied.contains(r.topic())) {
          external.add(r.topic());
        }
      }
    }
    return external;
  }

  private static UnitVerticle instantiate(Class<? extends UnitVerticle> type) {
    try {
      return type.getDeclaredConstructor().newInstance();
    } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
      throw new ExtensionConfigurationException(type.getName() + " needs a public no-argument constructor", e);
    } catch (InvocationTargetException e) {
      throw new ExtensionConfigurationException("cannot create " + type.getName() + ": " + e.getCause(), e.getCause());
    }
  }

  /** The device and its Vert.x; closed after each test. */
  private record Booted(Vertx vertx, SimDevice dev) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      try {
        dev.stop().otherwiseEmpty().await();
      } finally {
        dev.close();
        vertx.close().await();
      }
    }
  }
}
