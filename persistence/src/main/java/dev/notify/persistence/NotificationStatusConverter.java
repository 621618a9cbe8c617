package dev.notify.persistence;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

@Converter
public class NotificationStatusConverter implements AttributeConverter<NotificationStatus, String> {

    @Override
    public String convertToDatabaseColumn(NotificationStatus status) {
        return status == null ? null : status.wireName();
    }

    @Override
    public NotificationStatus convertToEntityAttribute(String column) {
        return column == null ? null : NotificationStatus.fromWireName(column);
    }
}
