package dev.notify.persistence;

import java.util.Locale;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

@Converter
public class EventStatusConverter implements AttributeConverter<EventStatus, String> {

    @Override
    public String convertToDatabaseColumn(EventStatus status) {
        return status == null ? null : status.wireName();
    }

    @Override
    public EventStatus convertToEntityAttribute(String column) {
        return column == null ? null : EventStatus.valueOf(column.toUpperCase(Locale.ROOT));
    }
}
