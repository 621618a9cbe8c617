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

    public String read(Long contentLength, InputStream body) {
        if (contentLength != null && contentLength > maxBodyBytes) {
            throw tooLarge();
        }
        try {
            byte[] bytes = body.readNBytes(maxBodyBytes + 1);
            if (bytes.length > maxBodyBytes) {
                throw tooLarge();
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WebApplicationException("the request body could not be read: " + e.getMessage(), 400);
        }
    }

    private WebApplicationException tooLarge() {
        return new WebApplicationException("the body is larger than the limit of " + maxBodyBytes + " bytes", 413);
    }
}
