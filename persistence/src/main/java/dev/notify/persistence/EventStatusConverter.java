package dev.notify.persistence;

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
        return column == null ? null : EventStatus.fromWireName(column);
    }
}
