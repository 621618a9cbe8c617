package dev.notify.it;

import java.net.URL;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.Archive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** Tests that talk to the deployable under test as its clients do: over HTTP and through the broker. */
@ExtendWith(ArquillianExtension.class)
abstract class DeployedService {

    @Deployment(testable = false)
    static Archive<?> deployment() {
        return Deployables.underTest();
    }

    @ArquillianResource
    URL deploymentUrl;

    Api api;

    @BeforeEach
    void client() {
        api = new Api(deploymentUrl);
    }
}
