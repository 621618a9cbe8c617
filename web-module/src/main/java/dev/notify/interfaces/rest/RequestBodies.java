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

    private String read(Long contentLength, InputStream body, int limit) {
        try {
            if (contentLength != null && contentLength > limit) {
                throw tooLarge(limit, body);
            }
            byte[] bytes = body.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw tooLarge(limit, body);
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WebApplicationException("the request body could not be read: " + e.getMessage(), 400);
        }
    }

    /**
     * The refusal, after reading what the client still sends (up to the batch limit): over HTTP/2,
     * Payara Server leaves a stream whose body nobody reads without flow-control credit, and a client
     * that waits to finish sending (the JDK's) would never see the answer.
     */
    private WebApplicationException tooLarge(int limit, InputStream body) throws IOException {
        byte[] discarded = new byte[8192];
        long drained = 0;
        for (int read; drained < maxBatchBodyBytes && (read = body.read(discarded)) >= 0; ) {
            drained += read;
        }
        return new WebApplicationException("the body is larger than the limit of " + limit + " bytes", 413);
    }
}
