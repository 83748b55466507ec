/**
 * The Modis SPI: everything a command, data type or feature bundle compiles against.
 *
 * <p>A bundle contributes commands by registering a {@link io.modis.api.CommandProvider}
 * service, data types with {@link io.modis.api.DataType}, configuration parameters with
 * {@link io.modis.api.ConfigProvider}, INFO sections with {@link io.modis.api.InfoSection}
 * and listens to the write stream with {@link io.modis.api.PropagationListener}. All command
 * handlers run on the single engine thread, one at a time.
 */
@Version("1.4.0")
@Export
package io.modis.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
