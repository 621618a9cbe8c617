package dev.notify.interfaces.rest;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

/**
 * Every body the API takes is JSON, declared as such: a body without a Content-Type is refused
 * (415) rather than guessed at, and so is a charset other than UTF-8, the only encoding of JSON
 * (RFC 8259). Before matching, so that an unreadable Content-Type is answered here too.
 */
@Provider
@PreMatching
public class JsonBodies implements ContainerRequestFilter {

    private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH");

    @Override
    public void filter(ContainerRequestContext request) {
        if (!WITH_BODY.contains(request.getMethod()) || !request.hasEntity()) {
            return;
        }
        MediaType type;
        try {
            type = request.getMediaType();
        } catch (IllegalArgumentException e) {
            request.abortWith(Problem.response(400, "the Content-Type header is not a media type; send application/json"));
            return;
        }
        if (type == null) {
            request.abortWith(Problem.response(415, "the body has no Content-Type; send it as application/json"));
            return;
        }
        String charset = type.getParameters().get(MediaType.CHARSET_PARAMETER);
        if (charset != null && !isUtf8(charset)) {
            request.abortWith(Problem.response(415, "JSON is read as UTF-8 only, not as " + charset));
        }
    }

    private static boolean isUtf8(String charset) {
        try {
            return Charset.forName(charset).equals(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }
}
