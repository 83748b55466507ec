package io.modis.sets;

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
 * Offers the set {@link DataType} while this bundle is active. The service object is
 * {@link SetType#INSTANCE} itself, the object every set value's {@code type()} returns, because
 * the core compares types by identity; a DS-instantiated component could not be that object.
 */
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.modis.api.DataType",
        uses = DataType.class)
@Component(immediate = true, service = {})
public final class SetTypeRegistration {
    private ServiceRegistration<DataType> registration;

    @Activate
    void activate(BundleContext context) {
        registration = context.registerService(DataType.class, SetType.INSTANCE,
                FrameworkUtil.asDictionary(Map.of("modis.type", SetType.INSTANCE.name())));
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }
}
