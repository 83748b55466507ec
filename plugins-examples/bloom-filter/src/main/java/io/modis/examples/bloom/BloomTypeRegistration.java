package io.modis.examples.bloom;

import io.modis.api.DataType;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import java.util.Map;

/**
 * Offers the Bloom filter {@link DataType} while this bundle is active. The service object is
 * {@link BloomType#INSTANCE}, the object every filter's {@code type()} returns: the core compares
 * types by identity.
 */
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.modis.api.DataType",
        uses = DataType.class)
@Component(immediate = true, service = {})
public final class BloomTypeRegistration {
    private ServiceRegistration<DataType> registration;

    @Activate
    void activate(BundleContext context) {
        registration = context.registerService(DataType.class, BloomType.INSTANCE,
                FrameworkUtil.asDictionary(Map.of("modis.type", BloomType.INSTANCE.name())));
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }
}
