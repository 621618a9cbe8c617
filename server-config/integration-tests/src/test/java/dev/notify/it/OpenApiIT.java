package dev.notify.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.HttpMethod;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.notify.interfaces.rest.RestApplication;

/**
 * The MicroProfile OpenAPI document each server serves at /openapi, against the REST resources of
 * the web module as compiled: every resource method is in it, and nothing else; and the viewer at
 * /api-docs/ shows it.
 */
class OpenApiIT extends DeployedService {

    @Test
    void theDocumentHasEveryResourceMethodAndNoOther() {
        JsonObject document = document();

        assertEquals("Notification service", document.getJsonObject("info").getString("title"),
                "the server serves the web module's META-INF/openapi.yaml");
        assertEquals(resourceMethods(), documentedOperations(document),
                "each JAX-RS resource method, as METHOD /path, against the operations of /openapi");
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

    /** Every resource method of the web module's classes, as METHOD /application-path/class-path/method-path. */
    private static Set<String> resourceMethods() {
        String root = RestApplication.class.getAnnotation(ApplicationPath.class).value();
        Set<String> operations = new TreeSet<>();
        for (Class<?> resource : resourceClasses()) {
            String classPath = resource.getAnnotation(jakarta.ws.rs.Path.class).value();
            for (Method method : resource.getMethods()) {
                String verb = Stream.of(method.getAnnotations())
                        .map(annotation -> annotation.annotationType().getAnnotation(HttpMethod.class))
                        .filter(httpMethod -> httpMethod != null)
                        .map(HttpMethod::value)
                        .findFirst().orElse(null);
                jakarta.ws.rs.Path methodPath = method.getAnnotation(jakarta.ws.rs.Path.class);
                if (verb != null) {
                    operations.add(verb + " " + join(root, classPath, methodPath == null ? "" : methodPath.value()));
                } else {
                    assertNull(methodPath, method + ": a sub-resource locator, which this test does not follow");
                }
            }
        }
        assertTrue(operations.size() > 10, "the resources were not found: " + operations);
        return operations;
    }

    /** The segments joined with single slashes, a template's regular expression left out: {id: [0-9]+} is {id}. */
    private static String join(String... segments) {
        StringBuilder path = new StringBuilder();
        for (String segment : segments) {
            for (String part : segment.split("/")) {
                if (!part.isEmpty()) {
                    path.append('/').append(part.replaceAll("\\{\\s*([^:}\\s]+)\\s*:[^}]*}", "{$1}"));
                }
            }
        }
        return path.toString();
    }

    /** The classes with @Path beside RestApplication, in the web module's classes (a jar, or a folder in an IDE). */
    private static Set<Class<?>> resourceClasses() {
        try {
            Path location = Path.of(RestApplication.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            try (FileSystem jar = Files.isDirectory(location) ? null : FileSystems.newFileSystem(location)) {
                Path classes = jar == null ? location : jar.getPath("/");
                try (Stream<Path> files = Files.walk(classes)) {
                    Set<Class<?>> resources = new HashSet<>();
                    for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                        String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                        Class<?> type = Class.forName(name, false, RestApplication.class.getClassLoader());
                        if (type.isAnnotationPresent(jakarta.ws.rs.Path.class)) {
                            resources.add(type);
                        }
                    }
                    return resources;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
