package dev.notify.interfaces.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The registry of event types: what the service accepts, what each requires, where it goes by default. */
@Path("event-types")
@ApplicationScoped
public class EventTypeResource {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonArray list() {
        return Representations.eventTypes();
    }
}
