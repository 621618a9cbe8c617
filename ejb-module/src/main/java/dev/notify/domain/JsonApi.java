package dev.notify.domain;

import jakarta.json.spi.JsonProvider;

/**
 * The JSON-P provider, looked up once. Every static {@code jakarta.json.Json.create...} call looks
 * the provider up again through the service loader, a scan of the class path: under load that was
 * a fifth of the server's CPU. Use {@code JSON.create...} instead.
 */
public final class JsonApi {

    public static final JsonProvider JSON = JsonProvider.provider();

    private JsonApi() {
    }
}
