package io.modis.api;

/**
 * Where a pub/sub command's channel arguments are, for ACL checks: arguments {@code first} to
 * {@code last} (negative counts from the end, -1 = the last argument). {@code pattern}: the
 * arguments are channel patterns (PSUBSCRIBE), checked literally against the user's patterns.
 * {@code checked}: the command publishes or subscribes (UNSUBSCRIBE-like commands are not).
 */
public record ChannelSpec(int first, int last, boolean pattern, boolean checked) {
}
