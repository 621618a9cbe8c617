package dev.notify.interfaces.rest;

import static dev.notify.domain.JsonApi.JSON;

import java.util.List;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.Response;

import dev.notify.domain.FieldError;

/** An RFC 9457 problem detail: every error the API returns has this shape. */
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";

    private Problem() {
    }

    public static Response response(int status, String detail) {
        return response(status, detail, List.of());
    }

    public static Response response(int status, String detail, List<FieldError> errors) {
        // written as text: every JAX-RS runtime writes a String under any media type
        return Response.status(status).type(MEDIA_TYPE).entity(json(status, detail, errors).toString()).build();
    }

    /** The problem itself, also for a part of an answer (an item of a batch). */
    public static JsonObject json(int status, String detail, List<FieldError> errors) {
        JsonObjectBuilder body = JSON.createObjectBuilder()
                .add("type", "about:blank")
                .add("title", title(status))
                .add("status", status)
                .add("detail", detail);
        if (!errors.isEmpty()) {
            JsonArrayBuilder fields = JSON.createArrayBuilder();
            errors.forEach(e -> fields.add(JSON.createObjectBuilder().add("field", e.field()).add("message", e.message())));
            body.add("errors", fields);
        }
        return body.build();
    }

    /** The RFC 9110 reason phrase; JAX-RS 3.1 knows no 422. */
    private static String title(int status) {
        if (status == 422) {
            return "Unprocessable Content";
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        return known == null ? "HTTP " + status : known.getReasonPhrase();
    }
}
