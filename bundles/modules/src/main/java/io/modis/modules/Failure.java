package io.modis.modules;

/** A jar of the deploy folder that could not be loaded, and why (MODULE LIST, INFO modules). */
record Failure(String path, String reason) {
}
