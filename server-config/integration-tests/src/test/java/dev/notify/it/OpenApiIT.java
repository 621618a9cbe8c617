package dev.notify.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.yaml.snakeyaml.Yaml;

import dev.notify.interfaces.rest.RestApplication;

/**
 * The MicroProfile OpenAPI document each server serves at /openapi: the web module's
 * META-INF/openapi.yaml (whose operations OpenApiErrorStatusesTest checks against the resources),
 * every error problem+json; and the viewer at /api-docs/ shows it.
 */
class OpenApiIT extends DeployedService {

    @Test
    void theServerServesTheWebModulesDocument() throws IOException {
        JsonObject document = document();

        assertEquals("Notification service", document.getJsonObject("info").getString("title"));
        // the file's operations against the resource methods: OpenApiErrorStatusesTest, a unit test of the web module
        assertEquals(fileOperations(), documentedOperations(document),
                "each operation of META-INF/openapi.yaml, as METHOD /path, against those of /openapi");
    }

    @Test
    void everyErrorIsDocumentedAsProblemJson() {
        JsonObject document = document();
        JsonObject responses = document.getJsonObject("components").getJsonObject("responses");
        JsonObject paths = document.getJsonObject("paths");
        for (String path : paths.keySet()) {
            for (Map.Entry<String, JsonValue> operation : paths.getJsonObject(path).entrySet()) {
                if (operation.getKey().equals("parameters")) {
                    continue;
                }
                JsonObject answers = operation.getValue().asJsonObject().getJsonObject("responses");
                for (String status : answers.keySet()) {
                    // the dead-letter alert answers 503 in MicroProfile Health's shape, as monitors expect
                    boolean error = status.startsWith("4") || (status.startsWith("5") && !path.endsWith("/admin/health"));
                    if (error) {
                        JsonObject answer = answers.getJsonObject(status);
                        if (answer.containsKey("$ref")) {
                            answer = responses.getJsonObject(answer.getString("$ref").substring("#/components/responses/".length()));
                        }
                        assertTrue(answer.getJsonObject("content").containsKey("application/problem+json"),
                                operation.getKey() + " " + path + " " + status + " is not problem+json");
                    }
                }
            }
        }
        assertTrue(document.getJsonObject("components").getJsonObject("schemas").getJsonObject("Problem")
                .getJsonObject("properties").keySet().containsAll(Set.of("type", "title", "status", "detail", "errors")));
    }

    @Test
    void theViewerShowsEveryOperation() {
        int operations = documentedOperations(document()).size();
        WebDriver browser = Browser.open();
        try {
            browser.get("http://127.0.0.1:" + deploymentUrl.getPort() + "/api-docs/");
            new WebDriverWait(browser, Duration.ofSeconds(30))
                    .withMessage(() -> operations + " operations expected; the page shows: " + browser.findElement(By.tagName("body")).getText())
                    .until(page -> page.findElements(By.cssSelector(".opblock")).size() == operations);
            assertTrue(browser.findElement(By.cssSelector(".info .title")).getText().startsWith("Notification service"));
        } finally {
            browser.quit();
        }
    }

    private JsonObject document() {
        Api.Response response = Api.server(deploymentUrl).send("GET", "openapi", Map.of("Accept", "application/json"), null);
        assertEquals(200, response.status(), response.body());
        return response.json();
    }

    private static Set<String> documentedOperations(JsonObject document) {
        Set<String> operations = new TreeSet<>();
        JsonObject paths = document.getJsonObject("paths");
        for (String path : paths.keySet()) {
            paths.getJsonObject(path).keySet().stream()
                    .filter(key -> !key.equals("parameters"))
                    .forEach(method -> operations.add(method.toUpperCase(Locale.ROOT) + " " + path));
        }
        return operations;
    }

    /** The operations of the web module's META-INF/openapi.yaml, as METHOD /path. */
    private static Set<String> fileOperations() throws IOException {
        try (InputStream file = RestApplication.class.getResourceAsStream("/META-INF/openapi.yaml")) {
            Map<String, Map<String, Object>> paths = new Yaml().<Map<String, Map<String, Map<String, Object>>>>load(file).get("paths");
            Set<String> operations = new TreeSet<>();
            paths.forEach((path, methods) -> methods.keySet().stream()
                    .filter(key -> !key.equals("parameters"))
                    .forEach(method -> operations.add(method.toUpperCase(Locale.ROOT) + " " + path)));
            return operations;
        }
    }
}
