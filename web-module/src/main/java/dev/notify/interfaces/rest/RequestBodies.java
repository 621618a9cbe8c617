package dev.notify.interfaces.rest;

import java.io.FilterInputStream;
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

    /** A batch of events, to be read as it arrives: the stream fails with 413 past the limit. */
    public InputStream batch(Long contentLength, InputStream body) {
        if (contentLength != null && contentLength > maxBatchBodyBytes) {
            throw tooLarge(maxBatchBodyBytes, body);
        }
        return new BoundedInputStream(body);
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
    private WebApplicationException tooLarge(int limit, InputStream body) {
        discardRest(body);
        return new WebApplicationException("the body is larger than the limit of " + limit + " bytes", 413);
    }

    /** Reads what the client still sends, up to the batch limit, before a refusal (see tooLarge). */
    public void discardRest(InputStream body) {
        byte[] discarded = new byte[8192];
        try {
            for (long drained = 0, read; drained < maxBatchBodyBytes && (read = body.read(discarded)) >= 0; ) {
                drained += read;
            }
        } catch (IOException e) {
            // the refusal stands: the client stopped sending
        }
    }

    /** A batch body that fails with 413 once it passes the limit. */
    private final class BoundedInputStream extends FilterInputStream {

        private long bytesRead;

        BoundedInputStream(InputStream body) {
            super(body);
        }

        @Override
        public int read() throws IOException {
            int next = super.read();
            if (next >= 0) {
                count(1);
            }
            return next;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int count = super.read(buffer, offset, length);
            if (count > 0) {
                count(count);
            }
            return count;
        }

        private void count(int bytes) {
            bytesRead += bytes;
            if (bytesRead > maxBatchBodyBytes) {
                throw tooLarge(maxBatchBodyBytes, in);
            }
        }
    }
}
