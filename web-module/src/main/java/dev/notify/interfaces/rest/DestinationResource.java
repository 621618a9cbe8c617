package dev.notify.interfaces.rest;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.notify.application.DeadLetterAdmin;
import dev.notify.domain.WireJson;

/** Every queue of the product with the broker's figures: depth, consumers, in flight, and lag. */
@Path("admin/destinations")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class DestinationResource {

    @Inject
    DeadLetterAdmin admin;

    @GET
    public String list() {
        return WireJson.write(admin.destinations());
    }
}
