package io.hostmesh.unit;

import io.vertx.core.VerticleBase;

/**
 * A unit: a verticle plus its descriptor. Subclasses have a public no-argument constructor
 * (the mesh makes a new instance for every start, and {@link java.util.ServiceLoader} finds
 * them through {@code META-INF/services/io.hostmesh.unit.UnitVerticle}).
 *
 * <p>Override {@code start()} to do the work; for a {@link UnitType#ONESHOT} unit the returned
 * future completes when the work is done, for a {@link UnitType#SERVICE} when it is up.
 * Override {@code stop()} for clean-up (fake-hwclock saves the time there). Both run on the
 * unit's event loop.
 */
public abstract class UnitVerticle extends VerticleBase {
  private UnitContext unit;

  /** The unit's descriptor; must not depend on instance state. */
  public abstract UnitDescriptor descriptor();

  /** Called by the mesh before deployment. */
  public final void attach(UnitContext context) {
    if (this.unit != null) {
      throw new IllegalStateException("unit already attached: " + context.name());
    }
    this.unit = context;
  }

  /** The unit's context: bus, platform, log, settings. */
  protected final UnitContext unit() {
    if (unit == null) {
      throw new IllegalStateException("unit not attached to a mesh");
    }
    return unit;
  }
}
