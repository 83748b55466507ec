/**
 * The hash table behind the keyspace, shared with type bundles for their large collections
 * (hashes, sets, sorted sets): seeded SipHash-1-3, incremental rehash, and SCAN's cursor
 * guarantee. Not thread-safe; meant for the engine thread.
 */
@Version("1.1.0")
@Export
package io.modis.api.dict;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
