package io.hostmesh.schema.hostos;

/**
 * Asks the sim lifecycle to power the device off or to cut its power.
 *
 * @param requester the client asking ({@code api})
 * @param cut true: a power cut (nothing stops, nothing more is written); false: an orderly power-off
 * @param reason why, for the log and the boot history
 */
public record PowerRequest(String requester, boolean cut, String reason) {}
