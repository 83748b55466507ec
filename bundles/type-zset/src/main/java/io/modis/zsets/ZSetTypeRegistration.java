package io.modis.zsets;

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
 * Offers the sorted-set {@link DataType} while this bundle is active. The service object is
 * {@link ZSetType#INSTANCE} itself, the object every value's {@code type()} returns, so the core
 * can compare types by identity; a DS-instantiated component could not be.
 */
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.modis.api.DataType",
        uses = DataType.class)
@Component(immediate = true, service = {})
public final class ZSetTypeRegistration {
    private ServiceRegistration<DataType> registration;

    @Activate
    void activate(BundleContext context) {
        registration = context.registerService(DataType.class, ZSetType.INSTANCE,
                FrameworkUtil.asDictionary(Map.of("modis.type", ZSetType.INSTANCE.name())));
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }
}
