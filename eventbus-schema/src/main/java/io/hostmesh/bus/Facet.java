package io.hostmesh.bus;

/**
 * What a state topic is for, beyond its type: lets views (metrics, {@code /v1/time}) pick topics
 * by meaning rather than by address prefix, so a plugin's own status topic is treated like a
 * built-in one.
 */
public enum Facet {
  /** A unit's status record: its numeric fields and count maps become metrics gauges. */
  STATUS,
  /** Part of the device's time picture ({@code GET /v1/time}). */
  TIME
}
