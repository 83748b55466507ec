package io.modis.streams;

import io.modis.api.DataType;
import java.util.Map;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Offers the stream {@link DataType} while this bundle is active. The service object is
 * {@link StreamType#INSTANCE}, the object every stream value's {@code type()} returns, so the
 * core can compare types by identity.
 */
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.modis.api.DataType",
        uses = DataType.class)
@Component(immediate = true, service = {})
public final class StreamTypeRegistration {
    private ServiceRegistration<DataType> registration;

    @Activate
    void activate(BundleContext context) {
        registration = context.registerService(DataType.class, StreamType.INSTANCE,
                FrameworkUtil.asDictionary(Map.of("modis.type", StreamType.INSTANCE.name())));
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }
}
