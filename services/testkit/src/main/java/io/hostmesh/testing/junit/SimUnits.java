package io.hostmesh.testing.junit;

import io.hostmesh.unit.UnitVerticle;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The units of the simulated device that {@link SimDeviceExtension} boots for a test class or
 * method (a method's annotation replaces the class's).
 *
 * <p>Every topic a chosen unit requires that no chosen unit provides or publishes is treated as
 * external: the test latches it itself with {@code dev.bus().publish(...)}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Inherited
public @interface SimUnits {
  /** Unit classes, each with a public no-argument constructor. */
  Class<? extends UnitVerticle>[] value();

  /** Virtual time (timers fire only on {@code dev.time().advanceBy(...)}); default true. */
  boolean virtualTime() default true;

  /** Start the mesh before the test method runs; false lets the test write files first. */
  boolean start() default true;

  /** Mesh settings as JSON (see {@code MeshSettings}), merged over the SimDevice defaults. */
  String settings() default "";
}
