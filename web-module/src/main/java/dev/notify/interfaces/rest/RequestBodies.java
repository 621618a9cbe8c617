package dev.notify.interfaces.rest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Reads request bodies, never more than the configured size, whatever the client declared. */
@ApplicationScoped
public class RequestBodies {

    @Inject
    @ConfigProperty(name = "notify.events.max-body-bytes", defaultValue = "1048576")
    int maxBodyBytes;

    @Inject
    @ConfigProperty(name = "notify.events.max-batch-body-bytes", defaultValue = "16777216")
    int maxBatchBodyBytes;

    /** A body of one item: an event, a recipient, ... */
    public String read(Long contentLength, InputStream body) {
        return read(contentLength, body, maxBodyBytes);
    }

    /** A batch of events. */
    public String readBatch(Long contentLength, InputStream body) {
        return read(contentLength, body, maxBatchBodyBytes);
    }

    /** The limit of one item, which each item of a batch must keep too. */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    private static String read(Long contentLength, InputStream body, int limit) {
        if (contentLength != null && contentLength > limit) {
            throw tooLarge(limit);
        }
        try {
            byte[] bytes = body.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw tooLarge(limit);
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WebApplicationException("the request body could not be read: " + e.getMessage(), 400);
        }
    }

    private static WebApplicationException tooLarge(int limit) {
        return new WebApplicationException("the body is larger than the limit of " + limit + " bytes", 413);
    }
}
