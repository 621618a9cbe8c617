package dev.notify.interfaces.rest;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.sql.DataSource;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import jakarta.ejb.EJB;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.QueryParam;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.yaml.snakeyaml.Yaml;

import dev.notify.infrastructure.messaging.BrokerManagement;

/**
 * The error statuses each operation of META-INF/openapi.yaml declares, against those its resource
 * method can answer, as rules derive them from the compiled resources, web.xml and the beans the
 * resources inject: a status the code can answer that the document leaves out fails, and so does
 * one the document declares that the code cannot answer. Every operation of the document must be
 * a resource method, and every resource method an operation.
 * <p>
 * Not checked, and not declared per operation: what every request can get alike, that is 405 (a
 * method the path does not have), 406 (an Accept other than JSON), 500, and the containers' own
 * 400, 414 and 431 for a request they cannot read. docs/api.md's table of errors has them.
 */
class OpenApiErrorStatusesTest {

    private static final Path OPENAPI = Path.of("src/main/resources/META-INF/openapi.yaml");
    private static final Path WEB_XML = Path.of("src/main/webapp/WEB-INF/web.xml");
    private static final List<String> HTTP_METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}/]+)}");

    private static final String DATABASE = "the database";
    private static final String BROKER = "the broker";
    private static final String BROKER_MANAGEMENT = "the broker's management (BrokerManagement)";

    /**
     * Path parameters that the resource checks as a field, answering 422 when one breaks a rule;
     * the others name a thing that is there or not (404).
     */
    private static final Map<String, String> VALIDATED_PATH_PARAMETERS = Map.of(
            "userId", "UserResource.userId() checks {userId} as @UserId, an event's user_id");

    /** Statuses the rules derive that the operation cannot answer, and why. */
    private static final Map<String, Map<Integer, String>> NOT_ANSWERED = Map.of(
            "PUT /api/v1/users/{userId}", Map.of(404, "it creates the recipient it names"),
            "GET /api/v1/users/{userId}/events", Map.of(404, "an unknown user's timeline is empty, not missing"),
            "GET /api/v1/admin/dead-letters/{queue}/{id}",
            Map.of(502, "DeadLetterAdmin.find browses the queue over JMS and calls no management operation"),
            "POST /api/v1/admin/dead-letters/{queue}/retries",
            Map.of(502, "the job calls the broker's management after the 202 (ReplayJobs.run), not the request"),
            "POST /api/v1/admin/history-replays",
            Map.of(502, "the job calls the broker's management after the 202 (ReplayJobs.run), not the request"));

    /** Statuses an operation can answer that no rule derives, and why. */
    private static final Map<String, Map<Integer, String>> ALSO_ANSWERED = Map.of(
            "POST /api/v1/admin/history-replays",
            Map.of(409, "ReplayJobs.replayHistory throws ReplayInProgress while another history replay runs (ProblemMappers.JobConflict)"));

    /** A resource method as an operation: the method and the path as the document writes them. */
    record Operation(String verb, String path, Class<?> resource, Method method) {

        String key() {
            return verb + " " + path;
        }

        @Override
        public String toString() {
            return key() + " (" + resource.getSimpleName() + "." + method.getName() + ")";
        }
    }

    @Test
    void everyOperationOfTheDocumentIsAResourceMethodAndEveryResourceMethodAnOperation() throws IOException {
        Set<String> documented = documentedOperations().keySet();
        Map<String, Operation> resources = resourceOperations();
        List<String> problems = new ArrayList<>();
        documented.stream().filter(key -> !resources.containsKey(key))
                .forEach(key -> problems.add(key + " is in openapi.yaml, but no resource method answers it"));
        resources.values().stream().filter(operation -> !documented.contains(operation.key()))
                .forEach(operation -> problems.add(operation + " is a resource method, but not in openapi.yaml"));
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyOperationDeclaresTheErrorStatusesItsResourceCanAnswerAndNoOther() throws IOException {
        Map<String, Map<String, Object>> documented = documentedOperations();
        WebXml security = WebXml.read(WEB_XML);
        List<String> problems = new ArrayList<>();
        for (Operation operation : resourceOperations().values()) {
            Map<String, Object> declaration = documented.get(operation.key());
            if (declaration == null) {
                continue; // the test above names it
            }
            String name = operation.key() + " (" + declaration.get("operationId") + ")";
            Map<Integer, String> answerable = answerable(operation, security);
            Set<Integer> declared = errorStatuses(name, declaration, problems);
            answerable.forEach((status, why) -> {
                if (!declared.contains(status)) {
                    problems.add(name + " does not declare " + status + ", which it can answer: " + why);
                }
            });
            declared.stream().filter(status -> !answerable.containsKey(status)).forEach(status -> problems.add(name
                    + " declares " + status + ", which no rule of this test derives for it and no exception lists"));
        }
        assertTrue(problems.isEmpty(), problems.size() + " difference(s) between openapi.yaml and the code (declare the"
                + " status in openapi.yaml; or where the code cannot answer what a rule derives, or answers what none"
                + " does, say why in NOT_ANSWERED or ALSO_ANSWERED):\n" + String.join("\n", problems));
    }

    @Test
    void everyExceptionNamesAnOperationAndChangesWhatTheRulesDerive() throws IOException {
        Map<String, Operation> operations = resourceOperations();
        WebXml security = WebXml.read(WEB_XML);
        List<String> stale = new ArrayList<>();
        NOT_ANSWERED.forEach((key, statuses) -> {
            Operation operation = operations.get(key);
            if (operation == null) {
                stale.add("NOT_ANSWERED names no resource method: " + key);
            } else {
                statuses.keySet().stream().filter(status -> !rules(operation, security).containsKey(status))
                        .forEach(status -> stale.add("NOT_ANSWERED: no rule derives " + status + " for " + key + " any more"));
            }
        });
        ALSO_ANSWERED.forEach((key, statuses) -> {
            Operation operation = operations.get(key);
            if (operation == null) {
                stale.add("ALSO_ANSWERED names no resource method: " + key);
            } else {
                statuses.keySet().stream().filter(status -> rules(operation, security).containsKey(status))
                        .forEach(status -> stale.add("ALSO_ANSWERED: a rule derives " + status + " for " + key + " now"));
            }
        });
        VALIDATED_PATH_PARAMETERS.keySet().stream()
                .filter(parameter -> operations.values().stream().noneMatch(o -> pathParameters(o).contains(parameter)))
                .forEach(parameter -> stale.add("VALIDATED_PATH_PARAMETERS: no path has {" + parameter + "}"));
        assertTrue(stale.isEmpty(), String.join("\n", stale));
    }

    /** What the rules derive, less what the operation cannot answer, with what it answers besides. */
    private static Map<Integer, String> answerable(Operation operation, WebXml security) {
        Map<Integer, String> statuses = rules(operation, security);
        statuses.keySet().removeAll(NOT_ANSWERED.getOrDefault(operation.key(), Map.of()).keySet());
        statuses.putAll(ALSO_ANSWERED.getOrDefault(operation.key(), Map.of()));
        return statuses;
    }

    /** The error statuses an operation can answer, by the rules, each with the reason. */
    private static Map<Integer, String> rules(Operation operation, WebXml security) {
        Map<Integer, String> statuses = new TreeMap<>();
        // wrong credentials are refused on every URL, not only on a protected one
        statuses.put(401, "ApiAuthentication refuses wrong credentials anywhere, and none where web.xml protects the URL");
        Set<String> roles = security.roles(operation.verb(), operation.path());
        if (!roles.containsAll(security.declaredRoles())) {
            // every caller holds exactly one role (ConfiguredCallers, ApiAuthentication)
            statuses.put(403, "web.xml grants it to " + roles + " only, of " + security.declaredRoles());
        }
        // a body sent to an operation that takes none (POST .../{id}/retry) is refused 400 or 415 by
        // JsonBodies too; the document does not invite one, so neither is declared there
        if (takesBody(operation.method())) {
            statuses.put(400, "its body must be a JSON object (WireJson), under a readable Content-Type (JsonBodies)");
            statuses.put(413, "its body is read under a limit (RequestBodies)");
            statuses.put(415, "its body must come as application/json in UTF-8 (JsonBodies, @Consumes)");
            statuses.put(422, "its body is bound and its rules checked (WireJson, InvalidFieldsException)");
        }
        Set<String> query = queryParameters(operation);
        if (!query.isEmpty()) {
            // RequestFields and DeadLetterResource.selection convert them and name a wrong one in a 422
            statuses.put(422, "its query parameters " + query + " are converted and checked");
        }
        Set<String> path = pathParameters(operation);
        path.stream().filter(VALIDATED_PATH_PARAMETERS::containsKey).findFirst()
                .ifPresent(parameter -> statuses.put(422, VALIDATED_PATH_PARAMETERS.get(parameter)));
        if (!path.isEmpty()) {
            statuses.put(404, "its path names a thing by " + path + ", which may not be there");
        }
        Set<String> reached = reaches(operation.resource());
        if (!reached.isEmpty()) {
            // ProblemMappers.Unexpected and ProblemErrorPage: 503 with Retry-After when a resource is out of reach
            statuses.put(503, operation.resource().getSimpleName() + " reaches " + reached + ", which may be out of reach");
        }
        if (reached.contains(BROKER_MANAGEMENT)) {
            statuses.put(502, operation.resource().getSimpleName() + " calls " + BROKER_MANAGEMENT
                    + ", whose refusal is a BrokerOperationFailed (ProblemMappers.BrokerFailed)");
        }
        return statuses;
    }

    /** Whether a resource method has an entity parameter: one without a JAX-RS annotation. */
    private static boolean takesBody(Method method) {
        return Stream.of(method.getParameterAnnotations()).anyMatch(annotations -> Stream.of(annotations)
                .map(Annotation::annotationType).noneMatch(type -> type.getPackageName().startsWith("jakarta.ws.rs")));
    }

    /** The query parameters of a resource method, its own and its class's fields'. */
    private static Set<String> queryParameters(Operation operation) {
        Set<String> names = new TreeSet<>();
        for (Annotation[] annotations : operation.method().getParameterAnnotations()) {
            for (Annotation annotation : annotations) {
                assertTrue(!(annotation instanceof BeanParam), operation + ": a @BeanParam, which this test does not follow");
                if (annotation instanceof QueryParam query) {
                    names.add(query.value());
                }
            }
        }
        for (Class<?> type = operation.resource(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (field.isAnnotationPresent(QueryParam.class)) {
                    names.add(field.getAnnotation(QueryParam.class).value());
                }
            }
        }
        return names;
    }

    private static Set<String> pathParameters(Operation operation) {
        Set<String> names = new LinkedHashSet<>();
        Matcher parameter = PATH_PARAMETER.matcher(operation.path());
        while (parameter.find()) {
            names.add(parameter.group(1));
        }
        return names;
    }

    /** What a bean reaches, following its injected fields: the database, the broker, its management. */
    private static Set<String> reaches(Class<?> bean) {
        Set<String> reached = new TreeSet<>();
        reaches(bean, new HashSet<>(), reached);
        return reached;
    }

    private static void reaches(Class<?> bean, Set<Class<?>> seen, Set<String> reached) {
        if (!seen.add(bean)) {
            return;
        }
        if (bean == BrokerManagement.class) {
            // it looks the connection factory up by its JNDI name (Messaging.connectionFactory()), which no field shows
            reached.add(BROKER_MANAGEMENT);
        }
        for (Class<?> type = bean; type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (field.isAnnotationPresent(PersistenceContext.class) || EntityManager.class.isAssignableFrom(field.getType())
                        || DataSource.class.isAssignableFrom(field.getType())) {
                    reached.add(DATABASE);
                } else if (JMSContext.class.isAssignableFrom(field.getType()) || ConnectionFactory.class.isAssignableFrom(field.getType())) {
                    reached.add(BROKER);
                } else if (field.isAnnotationPresent(Inject.class) || field.isAnnotationPresent(EJB.class)) {
                    Class<?> injected = injectedBean(field);
                    // the service's own beans; the others are the configuration's values and the container's services
                    if (injected != null && injected.getName().startsWith("dev.notify.")) {
                        reaches(injected, seen, reached);
                    }
                }
            }
        }
    }

    /** The bean an injected field holds, through Instance and Provider; none for an Event (its observers are not followed). */
    private static Class<?> injectedBean(Field field) {
        Class<?> type = field.getType();
        if (type == Event.class) {
            return null;
        }
        if ((type == Instance.class || type == Provider.class) && field.getGenericType() instanceof ParameterizedType generic) {
            Type argument = generic.getActualTypeArguments()[0];
            return argument instanceof Class<?> bean ? bean : null;
        }
        return type;
    }

    /** The 4xx and 5xx of an operation's responses. */
    private static Set<Integer> errorStatuses(String name, Map<String, Object> operation, List<String> problems) {
        Set<Integer> statuses = new TreeSet<>();
        Object responses = operation.get("responses");
        if (!(responses instanceof Map<?, ?> answers)) {
            problems.add(name + " has no responses");
            return statuses;
        }
        for (Object key : answers.keySet()) {
            String status = String.valueOf(key);
            if (!status.matches("[1-5][0-9][0-9]")) {
                problems.add(name + " has the response '" + status + "', not a status this test can check");
            } else if (Integer.parseInt(status) >= 400) {
                statuses.add(Integer.parseInt(status));
            }
        }
        return statuses;
    }

    /** The operations of openapi.yaml, as METHOD /path. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> documentedOperations() throws IOException {
        Map<String, Object> document;
        try (Reader reader = Files.newBufferedReader(OPENAPI)) {
            document = new Yaml().load(reader);
        }
        Map<String, Map<String, Object>> operations = new TreeMap<>();
        ((Map<String, Map<String, Object>>) document.get("paths")).forEach((path, item) -> item.forEach((key, operation) -> {
            if (HTTP_METHODS.contains(key)) {
                operations.put(key.toUpperCase(Locale.ROOT) + " " + path, (Map<String, Object>) operation);
            }
        }));
        assertTrue(operations.size() > 10, "the operations were not found: " + operations.keySet());
        return operations;
    }

    /** Every resource method of the web module, by METHOD /application-path/class-path/method-path. */
    private static Map<String, Operation> resourceOperations() throws IOException {
        String root = RestApplication.class.getAnnotation(ApplicationPath.class).value();
        Map<String, Operation> operations = new TreeMap<>();
        for (Class<?> resource : resourceClasses()) {
            String classPath = resource.getAnnotation(jakarta.ws.rs.Path.class).value();
            for (Method method : resource.getMethods()) {
                String verb = Stream.of(method.getAnnotations())
                        .map(annotation -> annotation.annotationType().getAnnotation(HttpMethod.class))
                        .filter(httpMethod -> httpMethod != null)
                        .map(HttpMethod::value)
                        .findFirst().orElse(null);
                jakarta.ws.rs.Path methodPath = method.getAnnotation(jakarta.ws.rs.Path.class);
                if (verb == null) {
                    assertNull(methodPath, method + ": a sub-resource locator, which this test does not follow");
                    continue;
                }
                Operation operation = new Operation(verb, join(root, classPath, methodPath == null ? "" : methodPath.value()),
                        resource, method);
                Operation other = operations.put(operation.key(), operation);
                assertNull(other, "two resource methods answer " + operation.key() + ": " + other + " and " + operation);
            }
        }
        assertTrue(operations.size() > 10, "the resources were not found: " + operations.keySet());
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

    /** The classes with @Path in the web module's compiled classes. */
    private static List<Class<?>> resourceClasses() throws IOException {
        Path classes;
        try {
            classes = Path.of(RestApplication.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        assertTrue(Files.isDirectory(classes), "the web module's classes are a folder: " + classes);
        List<Class<?>> resources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                String name = classes.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".")
                        .replaceAll("\\.class$", "");
                Class<?> type;
                try {
                    type = Class.forName(name, false, RestApplication.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(e);
                }
                if (type.isAnnotationPresent(jakarta.ws.rs.Path.class)) {
                    resources.add(type);
                }
            }
        }
        return resources;
    }

    /** The security constraints of web.xml, combined for a request as the Servlet specification (13.8) says. */
    record WebXml(List<Constraint> constraints, Set<String> declaredRoles) {

        /** One web-resource-collection with the roles of its constraint; null roles: no auth-constraint. */
        record Constraint(Set<String> patterns, Set<String> methods, Set<String> omissions, Set<String> roles) {

            boolean appliesTo(String pattern, String verb) {
                return patterns.contains(pattern) && (methods.isEmpty() ? !omissions.contains(verb) : methods.contains(verb));
            }
        }

        static WebXml read(Path file) throws IOException {
            Element webApp;
            try {
                DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
                factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
                webApp = factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
            } catch (ParserConfigurationException | SAXException e) {
                throw new IllegalStateException(file + " cannot be read", e);
            }
            List<Constraint> constraints = new ArrayList<>();
            for (Element constraint : children(webApp, "security-constraint")) {
                List<Element> auth = children(constraint, "auth-constraint");
                Set<String> roles = auth.isEmpty() ? null : texts(auth.get(0), "role-name");
                for (Element collection : children(constraint, "web-resource-collection")) {
                    constraints.add(new Constraint(texts(collection, "url-pattern"), texts(collection, "http-method"),
                            texts(collection, "http-method-omission"), roles));
                }
            }
            Set<String> declared = new TreeSet<>();
            children(webApp, "security-role").forEach(role -> declared.addAll(texts(role, "role-name")));
            assertTrue(!declared.isEmpty(), file + " declares no security-role");
            return new WebXml(constraints, declared);
        }

        /** The roles that may call a path with a method (every declared one where no login is needed). */
        Set<String> roles(String verb, String path) {
            String pattern = bestMatch(path);
            List<Constraint> applying = constraints.stream().filter(c -> c.appliesTo(pattern, verb)).toList();
            assertTrue(!applying.isEmpty(), verb + " " + path + " is uncovered in web.xml (" + pattern + "): refused to everyone");
            assertTrue(applying.stream().noneMatch(c -> c.roles() != null && c.roles().isEmpty()),
                    verb + " " + path + " is refused to everyone by an auth-constraint without roles");
            if (applying.stream().anyMatch(c -> c.roles() == null)) {
                return declaredRoles;
            }
            Set<String> roles = applying.stream().flatMap(c -> c.roles().stream()).collect(Collectors.toCollection(TreeSet::new));
            return roles.contains("*") || roles.contains("**") ? declaredRoles : roles;
        }

        /** The url-pattern the container matches a path to: exact, the longest path prefix, an extension, or the default. */
        private String bestMatch(String path) {
            Set<String> patterns = constraints.stream().flatMap(c -> c.patterns().stream()).collect(Collectors.toSet());
            if (patterns.contains(path)) {
                return path;
            }
            String prefix = patterns.stream().filter(p -> p.endsWith("/*"))
                    .filter(p -> path.equals(p.substring(0, p.length() - 2)) || path.startsWith(p.substring(0, p.length() - 1)))
                    .max((left, right) -> Integer.compare(left.length(), right.length())).orElse(null);
            if (prefix != null) {
                return prefix;
            }
            String extension = patterns.stream().filter(p -> p.startsWith("*.") && path.endsWith(p.substring(1))).findFirst().orElse(null);
            return extension != null ? extension : "/";
        }

        private static List<Element> children(Element parent, String name) {
            List<Element> children = new ArrayList<>();
            NodeList nodes = parent.getChildNodes();
            for (int i = 0; i < nodes.getLength(); i++) {
                if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE && nodes.item(i).getNodeName().equals(name)) {
                    children.add((Element) nodes.item(i));
                }
            }
            return children;
        }

        private static Set<String> texts(Element parent, String name) {
            return children(parent, name).stream().map(element -> element.getTextContent().strip())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
