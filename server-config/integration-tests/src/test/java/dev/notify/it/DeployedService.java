package dev.notify.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;

import jakarta.json.JsonString;
import jakarta.json.JsonValue;

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

    /** An RFC 9457 problem with this status. */
    static void assertProblem(Api.Response response, int status) {
        assertEquals(status, response.status(), response.body());
        assertTrue(response.contentType().startsWith("application/problem+json"), response.contentType());
        assertEquals(status, response.json().getInt("status"));
        assertTrue(response.json().containsKey("title"), response.body());
    }

    /** The fields a problem names, in its order. */
    static List<String> fields(Api.Response response) {
        return strings(response.json().getJsonArray("errors").stream()
                .map(error -> error.asJsonObject().get("field")).toList());
    }

    static List<String> strings(List<JsonValue> values) {
        return values.stream().map(value -> ((JsonString) value).getString()).toList();
    }
}
