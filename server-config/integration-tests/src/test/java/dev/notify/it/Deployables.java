package dev.notify.it;

import java.io.File;

import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The deployable the build produced (the profile says which), plus the test's fault injection. */
final class Deployables {

    private Deployables() {
    }

    static Archive<?> underTest() {
        File file = new File(System.getProperty("it.deployable"));
        if (file.getName().endsWith(".ear")) {
            EnterpriseArchive ear = ShrinkWrap.createFromZipFile(EnterpriseArchive.class, file);
            ear.getAsType(JavaArchive.class, "notify-ejb.jar").addClass(FaultInjection.class);
            return ear;
        }
        return ShrinkWrap.createFromZipFile(WebArchive.class, file).addClass(FaultInjection.class);
    }
}
