package io.modis.strings;

import io.modis.api.DataType;
import io.modis.api.StringType;
import java.util.Map;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Offers the string {@link DataType} while this bundle is active. The service object is the
 * api's {@link StringType#INSTANCE} itself, the same object every {@code StringValue.type()}
 * returns, so the core can compare types by identity; a DS-instantiated component could not be.
 */
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.modis.api.DataType",
        uses = DataType.class)
@Component(immediate = true, service = {})
public final class StringTypeRegistration {
    private ServiceRegistration<DataType> registration;

    @Activate
    void activate(BundleContext context) {
        registration = context.registerService(DataType.class, StringType.INSTANCE,
                FrameworkUtil.asDictionary(Map.of("modis.type", StringType.INSTANCE.name())));
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }
}
