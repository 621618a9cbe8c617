package dev.notify.interfaces.rest;

import static dev.notify.domain.JsonApi.JSON;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.notify.infrastructure.templates.NotificationTemplates;

/**
 * The notification templates the service renders: one per event type, channel and part, in the
 * default language; a localized variant sits beside it as {@code <part>_<language>.ftl}.
 */
@Path("templates")
@ApplicationScoped
public class TemplateResource {

    @Inject
    NotificationTemplates templates;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonArray list() {
        JsonArrayBuilder list = JSON.createArrayBuilder();
        templates.sources().forEach(source -> list.add(JSON.createObjectBuilder()
                .add("event_type", source.type().wireName())
                .add("channel", source.channel().wireName())
                .add("part", source.part())
                .add("path", source.path())
                .add("template", source.text())));
        return list.build();
    }
}
