package io.modis.modules;

import io.modis.api.Command;
import io.modis.api.CommandProvider;
import io.modis.api.Engine;
import io.modis.api.InfoSection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/**
 * Module loading once the engine runs: the MODULE command, INFO's Modules section, the
 * {@code loadmodule} directives of the configuration, and the deploy folder.
 */
@Component(immediate = true, service = {CommandProvider.class, InfoSection.class})
public final class ModuleManager implements CommandProvider, InfoSection {
    @Reference
    private Engine engine;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ServiceComponentRuntime scr;

    private Modules modules;
    private Command command;
    private DeployWatcher watcher;

    @Activate
    void activate(BundleContext context) throws Exception {
        modules = new Modules(context, engine.config(), engine.log(), () -> scr);
        command = new ModuleCommand(modules).command();
        engine.executor().submit(this::loadConfiguredModules).get(5, TimeUnit.MINUTES);
        String home = context.getProperty("modis.home");
        watcher = new DeployWatcher(() -> deployFolder(home), engine.executor(), new DeployWatcher.Target() {
            @Override
            public void deployed(Path jar, byte[] bytes) {
                modules.deployed(jar, bytes);
            }

            @Override
            public void undeployed(Path jar) {
                modules.undeployed(jar);
            }
        }, engine.log()::warning);
        watcher.start();
    }

    @Deactivate
    void deactivate() {
        if (watcher != null) {
            watcher.stop();
        }
    }

    /** The loadmodule directives, in order; as redis-server, a module that fails to load stops the server. */
    private void loadConfiguredModules() {
        for (List<String> d : engine.config().directives()) {
            if (!d.get(0).equalsIgnoreCase("loadmodule") || d.size() < 2) {
                continue;
            }
            String path = d.get(1);
            try {
                modules.load(path, d.subList(2, d.size()), List.of(), Module.Source.CONFIG);
            } catch (LoadException e) {
                engine.log().warning(e.getMessage());
                engine.log().warning("Can't load module from " + path + ": server aborting");
                Runtime.getRuntime().halt(1);
            }
        }
        // the dataset loaders were waiting for these modules' types
        engine.startupModulesLoaded();
    }

    /** deploy-dir, relative to the distribution's home; null when empty (no deploy folder). */
    private Path deployFolder(String home) {
        String dir = engine.config().get(ModuleParams.DEPLOY_DIR);
        if (dir == null || dir.isBlank()) {
            return null;
        }
        Path p = Path.of(dir);
        if (!p.isAbsolute()) {
            p = home != null ? Path.of(home).resolve(p) : Modules.resolve(dir);
        }
        return p.toAbsolutePath().normalize();
    }

    @Override
    public List<Command> commands() {
        return List.of(command);
    }

    @Override
    public String name() {
        return "modules";
    }

    /** Redis's module lines, plus a {@code module_error} line per deploy-folder jar that failed. */
    @Override
    public void write(InfoWriter out) {
        for (Module m : modules.loaded()) {
            out.field("module", "name=" + m.name() + ",ver=" + m.ver() + ",api=1,filters=0,usedby=[],using=[],options=[]");
        }
        List<String> failed = new ArrayList<>();
        for (Failure f : modules.failures()) {
            failed.add("path=" + f.path() + ",error=" + f.reason().replace(',', ';').replace('\r', ' ').replace('\n', ' '));
        }
        for (String f : failed) {
            out.field("module_error", f);
        }
    }

    /** For tests in the same package. */
    Modules modules() {
        return modules;
    }
}
