package io.modis.examples.template;

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
 * Registers {@link CounterType#INSTANCE} itself as the {@link DataType} service (a component
 * instance created by Declarative Services would be another object than the one values return).
 */
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.modis.api.DataType",
        uses = DataType.class)
@Component(immediate = true, service = {})
public final class CounterTypeRegistration {
    private ServiceRegistration<DataType> registration;

    @Activate
    void activate(BundleContext context) {
        registration = context.registerService(DataType.class, CounterType.INSTANCE,
                FrameworkUtil.asDictionary(Map.of("modis.type", CounterType.INSTANCE.name())));
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }
}
